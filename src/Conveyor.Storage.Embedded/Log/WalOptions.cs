namespace Conveyor.Storage.Embedded.Log;

/// <summary>Tuning of the write-ahead log.</summary>
internal sealed record WalOptions
{
    public const long DefaultSegmentBytes = 64L * 1024 * 1024;

    /// <summary>
    /// A Flush that finds the current segment at least this long starts a new one first. Records
    /// are never split, so a segment can exceed this by one flush batch. New segments are
    /// preallocated to this size.
    /// </summary>
    public long SegmentBytes { get; init; } = DefaultSegmentBytes;

    /// <summary>
    /// New segments are written around the OS page cache (<c>O_DIRECT</c>, <see cref="Device.DirectAppendFile"/>) where
    /// the OS and file system allow it; buffered otherwise, or when this is off.
    /// </summary>
    public bool DirectWrites { get; init; } = true;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SegmentBytes, WalFormat.SegmentHeaderSize, nameof(SegmentBytes));
        // Each segment is preallocated to this size; the in-memory test device holds a file in one array.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SegmentBytes, 1024L * 1024 * 1024, nameof(SegmentBytes));
    }
}
