using Conveyor.Storage.Embedded.Device;
using Microsoft.Extensions.Logging;

namespace Conveyor.Storage.Embedded.Log;

/// <summary>
/// Reads the segments a snapshot does not cover, replays their records and repairs a torn tail.
/// In the last segment, a flush the crash cut short (no flush marker, or a hole in data no later marker
/// records as durable; in a version 1 segment: a bad record with nothing valid after it) is truncated.
/// Anything else that is bad is corruption and stops the open. See docs/storage-format.md, "Recovery".
/// </summary>
internal static class WalRecovery
{
    /// <summary>The last live segment (0 when there is none), where its records end, and counts for the caller.</summary>
    public readonly record struct Result(long LastSegment, long LastLength, int LastVersion, long Records, long TruncatedBytes);

    public static Result Run(IStorageDevice device, ILogger logger, WalOptions options, long fromSegment, WalReplay replay)
    {
        var segments = LiveSegments(device, fromSegment);
        long records = 0, truncated = 0, lastLength = 0;
        var lastVersion = WalFormat.CurrentVersion;
        for (var i = 0; i < segments.Count; i++)
        {
            var (end, cut, version) = ReplaySegment(device, logger, options, segments[i], i == segments.Count - 1, replay, ref records);
            truncated += cut;
            lastLength = end;
            lastVersion = version;
        }
        WalLog.Recovered(logger, records, segments.Count, fromSegment);
        return new Result(segments.Count == 0 ? 0 : segments[^1], lastLength, lastVersion, records, truncated);
    }

    /// <summary>
    /// Replays, without writing anything, the records the open log holds: every segment from
    /// <paramref name="fromSegment"/> to <paramref name="lastSegment"/>, the last one only up to
    /// <paramref name="lastLength"/> (the log's committed end, which may be short of the file after a
    /// failed flush whose roll-back could not truncate, or because the rest is preallocated). Anything
    /// bad in that range is corruption.
    /// </summary>
    public static long ReplayCommitted(IStorageDevice device, long fromSegment, long lastSegment, long lastLength, WalReplay replay)
    {
        long records = 0;
        foreach (var index in LiveSegments(device, fromSegment))
        {
            if (index > lastSegment)
            {
                break;
            }

            var path = WalFormat.SegmentPath(index);
            var length = device.GetLength(path);
            using var reader = new SegmentReader(device, path, index == lastSegment ? Math.Min(length, lastLength) : length);
            var version = reader.ReadVersion(index);
            if (version == 0)
            {
                throw new WalCorruptionException(path, 0, reader.HeaderProblem());
            }

            records += ReplayRange(reader, WalFormat.SegmentHeaderSize, reader.End, replay, skipMarkers: version > 1, "invalid record inside the committed range");
        }
        return records;
    }

    private static List<long> LiveSegments(IStorageDevice device, long fromSegment)
    {
        var live = new List<long>();
        foreach (var name in device.ListFiles(WalFormat.Directory))
        {
            if (WalFormat.TryParseSegmentFileName(name, out var index) && index >= fromSegment)
            {
                live.Add(index);
            }
        }
        live.Sort();
        var expected = Math.Max(fromSegment, 1);
        foreach (var index in live)
        {
            if (index != expected)
            {
                throw new WalCorruptionException(WalFormat.SegmentPath(expected), 0, $"segment is missing (found {WalFormat.SegmentFileName(index)} instead)");
            }

            expected++;
        }
        return live;
    }

    /// <summary>Replays one segment; returns where its records end, how many bytes of torn tail were cut, and its version.</summary>
    private static (long End, long Truncated, int Version) ReplaySegment(
        IStorageDevice device, ILogger logger, WalOptions options, long index, bool isLast, WalReplay replay, ref long records)
    {
        var path = WalFormat.SegmentPath(index);
        using var reader = new SegmentReader(device, path, device.GetLength(path));
        var version = reader.ReadVersion(index);
        if (version == 0)
        {
            if (!isLast || reader.FindNextRecord(-1) >= 0)
            {
                throw new WalCorruptionException(path, 0, reader.HeaderProblem());
            }
            // Zeros are the preallocated space of a creation the crash cut short: nothing was dropped.
            var dropped = reader.IsZeroFrom(0) ? 0 : reader.End;
            WalLog.TornHeader(logger, path, reader.End);
            WalSegmentWriter.Create(device, index, options).Dispose();
            return (WalFormat.SegmentHeaderSize, dropped, WalFormat.CurrentVersion);
        }
        var (end, truncated) = version == 1
            ? ReplayVersion1(device, logger, reader, isLast, replay, ref records)
            : ReplayFlushes(device, logger, reader, isLast, replay, ref records);
        return (end, truncated, version);
    }

    /// <summary>
    /// A version 2 or 3 segment: records are replayed only up to the last flush marker that closes the records before it,
    /// so a flush is replayed whole or not at all. In the last segment, a flush without its marker, or a hole in
    /// data no later marker records as durable, is a write the crash cut short (never acknowledged in <c>sync</c>
    /// mode): the segment is cut at the end of the last complete flush before it. Anything else bad is corruption.
    /// </summary>
    private static (long End, long Truncated) ReplayFlushes(
        IStorageDevice device, ILogger logger, SegmentReader reader, bool isLast, WalReplay replay, ref long records)
    {
        var (committed, stop) = ReadFlushes(reader, replay, ref records);
        if (!isLast)
        {
            // Older segments are complete: cut to their last record when the log moved on.
            if (stop != reader.End)
            {
                throw new WalCorruptionException(reader.Path, stop, "invalid record in a segment that is not the last one");
            }

            if (committed != stop)
            {
                throw new WalCorruptionException(reader.Path, committed, "records without a flush marker at the end of a segment that is not the last one");
            }

            return (committed, 0);
        }

        var clean = stop == reader.End || reader.IsZeroFrom(stop);
        if (!clean)
        {
            CheckNeverDurable(reader, stop);
        }

        if (committed == stop && clean)
        {
            return (committed, 0);
        }

        return (committed, Truncate(device, logger, reader, committed));
    }

    /// <summary>
    /// Reads records from the header on, checking that every flush marker closes the flush before it, and replays a
    /// flush's records when its marker is read, so no record of a flush without one is ever applied. Returns the end of
    /// the last complete flush (after its marker) and where reading stopped (the first invalid record, or the end).
    /// </summary>
    private static (long Committed, long Stop) ReadFlushes(SegmentReader reader, WalReplay replay, ref long records)
    {
        long committed = WalFormat.SegmentHeaderSize, offset = committed;
        while (offset < reader.End && reader.TryReadRecord(offset, out var type, out var payload))
        {
            var next = offset + WalFormat.RecordHeaderSize + payload.Length;
            if (type == WalFormat.FlushMarkerType)
            {
                if (!WalFormat.TryReadFlushMarker(type, payload, out var marker) || marker.Start != committed)
                {
                    throw new WalCorruptionException(reader.Path, offset, $"flush marker does not close the flush that began at byte offset {committed}");
                }
                // Read and checked a moment ago; the read window usually still holds them.
                records += ReplayRange(reader, committed, offset, replay, skipMarkers: false, "a record that was valid a moment ago is not (the file changed during recovery)");
                committed = next;
            }
            offset = next;
        }
        return (committed, offset);
    }

    /// <summary>
    /// Replays the records between <paramref name="from"/> and <paramref name="to"/> (flush markers skipped when
    /// <paramref name="skipMarkers"/>); a record that does not read is corruption, described by <paramref name="whenInvalid"/>.
    /// </summary>
    private static long ReplayRange(SegmentReader reader, long from, long to, WalReplay replay, bool skipMarkers, string whenInvalid)
    {
        long count = 0;
        for (var offset = from; offset < to;)
        {
            if (!reader.TryReadRecord(offset, out var type, out var payload))
            {
                throw new WalCorruptionException(reader.Path, offset, whenInvalid);
            }

            offset += WalFormat.RecordHeaderSize + payload.Length;
            if (skipMarkers && type == WalFormat.FlushMarkerType)
            {
                continue;
            }

            replay(type, payload);
            count++;
        }
        return count;
    }

    /// <summary>
    /// Bad bytes at <paramref name="stop"/> in the last segment are a torn write only if they were never durable: a
    /// power cut may keep a later unsynced page and lose an earlier one, but a flush whose marker (after the damage)
    /// records the segment as durable past <paramref name="stop"/> means data that had been fsynced was damaged.
    /// </summary>
    private static void CheckNeverDurable(SegmentReader reader, long stop)
    {
        var next = reader.FindNextRecord(stop);
        while (next >= 0)
        {
            reader.TryReadRecord(next, out var type, out var payload);
            if (type == WalFormat.FlushMarkerType
                && (!WalFormat.TryReadFlushMarker(type, payload, out var marker) || marker.DurableThrough > stop))
            {
                throw new WalCorruptionException(reader.Path, stop, $"invalid record in data a later flush (its marker at byte offset {next}) records as durable");
            }

            next = reader.FindNextRecord(next + WalFormat.RecordHeaderSize + payload.Length - 1);
        }
    }

    /// <summary>A version 1 segment (no flush markers): the first invalid record ends it; one with valid records after it is corruption.</summary>
    private static (long End, long Truncated) ReplayVersion1(
        IStorageDevice device, ILogger logger, SegmentReader reader, bool isLast, WalReplay replay, ref long records)
    {
        long offset = WalFormat.SegmentHeaderSize;
        while (offset < reader.End)
        {
            if (!reader.TryReadRecord(offset, out var type, out var payload))
            {
                // Zeros to the end of the last segment are its preallocated, never-written space: a clean end.
                if (isLast && reader.IsZeroFrom(offset))
                {
                    return (offset, 0);
                }

                if (!isLast)
                {
                    throw new WalCorruptionException(reader.Path, offset, "invalid record in a segment that is not the last one");
                }

                var next = reader.FindNextRecord(offset);
                if (next >= 0)
                {
                    throw new WalCorruptionException(reader.Path, offset, $"invalid record followed by a valid record at byte offset {next}");
                }

                return (offset, Truncate(device, logger, reader, offset));
            }
            replay(type, payload);
            records++;
            offset += WalFormat.RecordHeaderSize + payload.Length;
        }
        return (offset, 0);
    }

    /// <summary>Cuts the last segment at <paramref name="offset"/>; returns the bytes of data dropped (not counting preallocated zeros).</summary>
    private static long Truncate(IStorageDevice device, ILogger logger, SegmentReader reader, long offset)
    {
        var dropped = reader.DataEndFrom(offset) - offset;
        using (var file = device.OpenAppend(reader.Path))
        {
            file.Truncate(offset);
            file.Sync();
        }
        WalLog.TornTail(logger, reader.Path, offset, dropped);
        return dropped;
    }
}
