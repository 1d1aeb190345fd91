using Conveyor.Storage.Embedded.Device;

namespace Conveyor.Storage.Embedded.Log;

/// <summary>
/// The open segment the log appends to, with how much of it is written and how much is durable,
/// so a failed flush can be cut back to a known-good length. A segment is created preallocated to the
/// segment size (zeros), so appends overwrite space the file already has and an fsync flushes data,
/// not a size change; the unused rest is cut off when the log moves on to the next segment.
/// </summary>
internal sealed class WalSegmentWriter : IDisposable
{
    private readonly IStorageDevice device;
    private readonly IStorageFile file;
    private long? repairTo;

    private WalSegmentWriter(IStorageDevice device, long index, IStorageFile file, long length, int version)
    {
        this.device = device;
        Index = index;
        this.file = file;
        Length = DurableLength = length;
        Version = version;
    }

    public long Index { get; }

    /// <summary>The segment's format version; from 2 on, every flush ends with a flush marker.</summary>
    public int Version { get; }

    public bool WritesFlushMarkers => Version >= 2;

    public string Path => file.Path;

    /// <summary>End of the last successful write.</summary>
    public long Length { get; private set; }

    /// <summary>End of the last successful fsync.</summary>
    public long DurableLength { get; private set; }

    public bool HasRecords => Length > WalFormat.SegmentHeaderSize;

    /// <summary>Whether the file has room past <see cref="Length"/> that appends overwrite (it was preallocated).</summary>
    public bool HasSpareSpace => file.Length > Length;

    /// <summary>
    /// Creates a segment preallocated to <see cref="WalOptions.SegmentBytes"/> (written directly when
    /// <see cref="WalOptions.DirectWrites"/>): file with its header, fsynced, and the directory fsynced so the file
    /// survives a crash.
    /// </summary>
    public static WalSegmentWriter Create(IStorageDevice device, long index, WalOptions options)
    {
        var path = WalFormat.SegmentPath(index);
        var file = device.Create(path, options.SegmentBytes, options.DirectWrites);
        try
        {
            Span<byte> header = stackalloc byte[WalFormat.SegmentHeaderSize];
            WalFormat.WriteSegmentHeader(header, index);
            file.WriteAt(0, header);
            file.Sync();
            device.SyncDirectory(WalFormat.Directory);
            return new WalSegmentWriter(device, index, file, WalFormat.SegmentHeaderSize, WalFormat.CurrentVersion);
        }
        catch
        {
            file.Dispose();
            TryDelete(device, path);
            throw;
        }
    }

    /// <summary>
    /// Reopens a recovered segment whose records end at <paramref name="length"/> (the rest, if any, is
    /// preallocated zeros), of format <paramref name="version"/>. It is fsynced first: what replay saw may
    /// still be only in the page cache.
    /// </summary>
    public static WalSegmentWriter Reopen(IStorageDevice device, long index, long length, int version)
    {
        var file = device.OpenAppend(WalFormat.SegmentPath(index));
        try
        {
            file.Sync();
            return new WalSegmentWriter(device, index, file, length, version);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Finishes a roll-back that failed earlier; must succeed before anything else is written.</summary>
    public void Repair()
    {
        if (repairTo is not { } length)
        {
            return;
        }

        file.Truncate(length);
        repairTo = null;
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        file.WriteAt(Length, data);
        Length += data.Length;
    }

    public void Sync()
    {
        if (DurableLength == Length)
        {
            return;
        }

        file.Sync();
        DurableLength = Length;
    }

    /// <summary>Cuts the file back to <paramref name="length"/>; if that fails too, <see cref="Repair"/> retries it.</summary>
    public void RollBack(long length)
    {
        Length = Math.Min(Length, length);
        DurableLength = Math.Min(DurableLength, length);
        try
        {
            file.Truncate(length);
            repairTo = null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            repairTo = length;
        }
    }

    /// <summary>
    /// Makes this segment durable and cuts off its unused preallocated space, then creates the next one
    /// (<see cref="Create"/>); on failure this one stays current.
    /// </summary>
    public WalSegmentWriter StartNext(WalOptions options)
    {
        Repair();
        // Always, even when the caller flushes without fsync: an older segment must never end in a
        // torn write or in zeros, because only the last segment's tail may be either at recovery.
        Sync();
        if (HasSpareSpace)
        {
            file.Truncate(Length);
            file.Sync();
        }
        var next = Create(device, Index + 1, options);
        Dispose();
        return next;
    }

    public void Dispose() => file.Dispose();

    private static void TryDelete(IStorageDevice device, string path)
    {
        try
        {
            device.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A header-only or empty last segment is recovered as a torn creation.
        }
    }
}
