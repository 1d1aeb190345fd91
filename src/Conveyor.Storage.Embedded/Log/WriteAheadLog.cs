using Conveyor.Storage.Embedded.Device;
using Microsoft.Extensions.Logging;

namespace Conveyor.Storage.Embedded.Log;

/// <summary>
/// The write-ahead log: records are framed into a pending buffer by <see cref="Append"/> (or
/// <see cref="BeginRecord"/>/<see cref="EndRecord"/>) and reach the current segment in one write
/// per <see cref="Flush"/>, which is where group commit happens. Single-threaded: only the
/// writer loop calls it, but for <see cref="SyncWritten"/>. See docs/storage-format.md.
/// </summary>
internal sealed class WriteAheadLog : IDisposable
{
    private readonly IStorageDevice device;
    private readonly WalOptions options;
    private readonly ILogger logger;
    private readonly PendingBuffer pending = new();
    private WalSegmentWriter segment;
    private int openRecordStart = -1;
    private byte openRecordType;
    private bool disposed;

    private WriteAheadLog(IStorageDevice device, WalOptions options, ILogger logger, WalSegmentWriter segment)
    {
        this.device = device;
        this.options = options;
        this.logger = logger;
        this.segment = segment;
    }

    /// <summary>Index of the segment the next flush writes to (unless it rolls).</summary>
    public long CurrentSegment => segment.Index;

    /// <summary>Bytes of the current segment written by successful flushes, header included.</summary>
    public long CurrentSegmentLength => segment.Length;

    public int PendingRecords { get; private set; }

    public int PendingBytes => pending.WrittenCount;

    /// <summary>Record bytes written by successful flushes since open.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Successful flushes that wrote records (a group commit is one) since open.</summary>
    public long FlushCount { get; private set; }

    /// <summary>fsyncs of record data done by <see cref="Flush"/>.</summary>
    public long SyncCount { get; private set; }

    public long RecoveredRecords { get; private init; }

    /// <summary>Bytes of torn tail (or torn segment header) dropped while opening.</summary>
    public long TruncatedBytes { get; private init; }

    /// <summary>
    /// Opens the log in the device's <c>wal/</c> directory: replays (through <paramref name="replay"/>)
    /// every record of segments numbered <paramref name="fromSegment"/> and up, truncates a torn
    /// tail, and throws <see cref="WalCorruptionException"/> for any other damage. Segments below
    /// <paramref name="fromSegment"/> are covered by a snapshot and ignored. Does not lock the data
    /// directory; the store does that with <see cref="IStorageDevice.LockDirectory"/>.
    /// </summary>
    public static WriteAheadLog Open(IStorageDevice device, WalOptions options, ILogger logger, long fromSegment, WalReplay replay)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(replay);
        ArgumentOutOfRangeException.ThrowIfNegative(fromSegment);
        options.Validate();
        device.CreateDirectory(WalFormat.Directory);
        var recovered = WalRecovery.Run(device, logger, options, fromSegment, replay);
        var segment = recovered.LastSegment == 0
            ? WalSegmentWriter.Create(device, Math.Max(fromSegment, 1), options)
            : WalSegmentWriter.Reopen(device, recovered.LastSegment, recovered.LastLength, recovered.LastVersion);
        if (segment.Version < WalFormat.CurrentVersion
            || (segment.HasRecords && !segment.HasSpareSpace && segment.Length < options.SegmentBytes))
        {
            // A segment of an older format (no flush markers) is not appended to; one without preallocated space
            // (cut at a torn tail, or written by an older version) would append with a size change per fsync
            // until it is full. A fresh preallocated one of the current format does neither.
            segment = StartNextOrKeep(segment, options, logger);
        }
        return new WriteAheadLog(device, options, logger, segment)
        {
            RecoveredRecords = recovered.Records,
            TruncatedBytes = recovered.TruncatedBytes,
        };
    }

    /// <summary>Frames a record into the pending batch. <paramref name="type"/> is 1..254 (255 is the log's flush marker); the payload at most 256 MiB.</summary>
    public void Append(byte type, ReadOnlySpan<byte> payload)
    {
        CheckCanStartRecord(type);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payload.Length, WalFormat.MaxPayloadBytes, nameof(payload));
        var frame = pending.GetSpan(WalFormat.RecordHeaderSize + payload.Length)[..(WalFormat.RecordHeaderSize + payload.Length)];
        payload.CopyTo(frame[WalFormat.RecordHeaderSize..]);
        WalFormat.SealRecord(frame, type);
        pending.Advance(frame.Length);
        PendingRecords++;
    }

    /// <summary>
    /// Starts a record whose payload the caller encodes straight into the returned writer (no
    /// copy); <see cref="EndRecord"/> then fills in its length and CRC, or <see cref="AbortRecord"/>
    /// drops it. The writer is valid until then.
    /// </summary>
    public PayloadBuffer BeginRecord(byte type)
    {
        CheckCanStartRecord(type);
        pending.GetSpan(WalFormat.RecordHeaderSize)[..WalFormat.RecordHeaderSize].Clear();
        openRecordStart = pending.WrittenCount;
        openRecordType = type;
        pending.Advance(WalFormat.RecordHeaderSize);
        return pending;
    }

    public void EndRecord()
    {
        var start = CheckRecordOpen();
        var frame = pending.WrittenSpan[start..];
        if (frame.Length - WalFormat.RecordHeaderSize > WalFormat.MaxPayloadBytes)
        {
            AbortRecord();
            throw new InvalidOperationException($"a WAL record payload may be at most {WalFormat.MaxPayloadBytes} bytes; the record was dropped");
        }
        WalFormat.SealRecord(frame, openRecordType);
        openRecordStart = -1;
        PendingRecords++;
    }

    public void AbortRecord()
    {
        pending.Truncate(CheckRecordOpen());
        openRecordStart = -1;
    }

    /// <summary>
    /// Drops every record not yet flushed, an open one included: the store stopped with its memory out of step with
    /// them, and none of them may reach the disk.
    /// </summary>
    public void DiscardPending()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        pending.Truncate(0);
        openRecordStart = -1;
        PendingRecords = 0;
    }

    /// <summary>
    /// Replays the records this log holds (from <paramref name="fromSegment"/> to its committed end),
    /// writing nothing: how the store rebuilds its state after a failed flush without another fsync.
    /// </summary>
    public long ReplayCommitted(long fromSegment, WalReplay replay)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return WalRecovery.ReplayCommitted(device, fromSegment, segment.Index, segment.Length, replay);
    }

    /// <summary>
    /// Writes the pending batch, closed by a flush marker, to the current segment in one write and, when <paramref name="sync"/>,
    /// fsyncs it (a sync flush with nothing pending still fsyncs earlier unsynced flushes). Rolls to a
    /// new segment first when the current one has reached <see cref="WalOptions.SegmentBytes"/>.
    /// On any failure it throws <see cref="IOException"/>, the batch is discarded and the segment is
    /// cut back to the last point known good: the end of the last successful write, or after a
    /// failed fsync the end of the last successful fsync (the page cache can no longer be trusted).
    /// The log stays usable: a later flush works once the device does.
    /// </summary>
    public void Flush(bool sync)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (openRecordStart >= 0)
        {
            throw new InvalidOperationException("a WAL record is still open: call EndRecord or AbortRecord before Flush");
        }

        var records = PendingRecords;
        var rollBackTo = segment.Length;
        try
        {
            segment.Repair();
            if (pending.WrittenCount > 0)
            {
                if (segment.Length >= options.SegmentBytes && segment.HasRecords)
                {
                    rollBackTo = segment.DurableLength;
                    segment = segment.StartNext(options);
                    rollBackTo = segment.Length;
                }
                if (segment.WritesFlushMarkers)
                {
                    // Recovery replays a flush only up to its marker, so a flush a crash tore is dropped whole.
                    WalFormat.WriteFlushMarker(pending.GetSpan(WalFormat.FlushMarkerSize), new FlushMarker(segment.Length, segment.DurableLength));
                    pending.Advance(WalFormat.FlushMarkerSize);
                }
                segment.Write(pending.WrittenSpan);
                BytesWritten += pending.WrittenCount;
                FlushCount++;
            }
            if (sync && segment.DurableLength < segment.Length)
            {
                rollBackTo = segment.DurableLength;
                segment.Sync();
                SyncCount++;
            }
        }
        catch (Exception ex)
        {
            segment.RollBack(rollBackTo);
            WalLog.FlushFailed(logger, ex, segment.Path, records, rollBackTo);
            throw new IOException($"WAL flush to '{segment.Path}' failed ({ex.Message}); {records} pending record(s) were discarded", ex);
        }
        finally
        {
            pending.Truncate(0);
            PendingRecords = 0;
        }
    }

    /// <summary>
    /// fsyncs what earlier flushes wrote, leaving the pending batch alone: the one call that may run on another thread,
    /// while the writer loop only appends records to the pending batch and calls nothing else of the log until it
    /// returns. On failure it throws <see cref="IOException"/> and the segment is cut back to the end of its last
    /// successful fsync, as <see cref="Flush"/> does.
    /// </summary>
    public void SyncWritten()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var rollBackTo = segment.DurableLength;
        if (rollBackTo == segment.Length)
        {
            return;
        }

        try
        {
            segment.Sync();
            SyncCount++;
        }
        catch (Exception ex)
        {
            segment.RollBack(rollBackTo);
            WalLog.FlushFailed(logger, ex, segment.Path, 0, rollBackTo);
            throw new IOException($"WAL fsync of '{segment.Path}' failed ({ex.Message}); what was written since the last fsync was discarded", ex);
        }
    }

    /// <summary>
    /// Flushes and fsyncs what is pending, then starts a new segment and returns its index: every
    /// record appended so far is in a lower segment, so a snapshot of the current state covers
    /// exactly the segments below the returned index.
    /// </summary>
    public long RollSegment()
    {
        Flush(sync: true);
        try
        {
            segment = segment.StartNext(options);
        }
        catch (Exception ex)
        {
            throw new IOException($"could not start WAL segment {CurrentSegment + 1} ({ex.Message})", ex);
        }
        return CurrentSegment;
    }

    /// <summary>Deletes segments numbered below <paramref name="index"/> (at most <see cref="CurrentSegment"/>), once a snapshot covers them.</summary>
    public void DeleteSegmentsBefore(long index)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, CurrentSegment);
        foreach (var name in device.ListFiles(WalFormat.Directory))
        {
            if (WalFormat.TryParseSegmentFileName(name, out var segment) && segment < index)
            {
                device.Delete(WalFormat.SegmentPath(segment));
            }
        }
    }

    /// <summary>Closes the segment. Pending records are not flushed.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        segment.Dispose();
        pending.Dispose();
    }

    private static WalSegmentWriter StartNextOrKeep(WalSegmentWriter segment, WalOptions options, ILogger logger)
    {
        try
        {
            return segment.StartNext(options);
        }
        catch (IOException ex)
        {
            WalLog.RollAtOpenFailed(logger, ex, segment.Path);
            return segment;
        }
    }

    private void CheckCanStartRecord(byte type)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentOutOfRangeException.ThrowIfZero(type);
        ArgumentOutOfRangeException.ThrowIfEqual(type, WalFormat.FlushMarkerType);
        if (openRecordStart >= 0)
        {
            throw new InvalidOperationException("a WAL record is still open: call EndRecord or AbortRecord first");
        }
    }

    private int CheckRecordOpen()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return openRecordStart >= 0 ? openRecordStart : throw new InvalidOperationException("no WAL record is open");
    }
}
