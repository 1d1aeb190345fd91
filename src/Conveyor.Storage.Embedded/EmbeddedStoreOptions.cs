namespace Conveyor.Storage.Embedded;

/// <summary>Settings of the embedded store.</summary>
public sealed class EmbeddedStoreOptions
{
    /// <summary>The data directory (created if missing).</summary>
    public string DataDirectory { get; set; } = "./conveyor-data";

    /// <summary>When writes are acknowledged.</summary>
    public DurabilityMode Durability { get; set; } = DurabilityMode.Sync;

    /// <summary>The fsync period in <see cref="DurabilityMode.Interval"/> mode.</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>A WAL segment is closed once it reaches this size; each new one is preallocated to it (at most 1 GiB).</summary>
    public long SegmentBytes { get; set; } = 64L << 20;

    /// <summary>
    /// WAL segments are written around the OS page cache (<c>O_DIRECT</c>: whole 4 KiB blocks from one reused buffer)
    /// where the OS and file system allow it, and buffered where they do not. It saves the kernel's copy into the page
    /// cache and its fresh pages (about half the WAL's CPU in a drain); off, every segment is written buffered.
    /// </summary>
    public bool DirectWalWrites { get; set; } = true;

    /// <summary>The default of <see cref="SnapshotAfterBytes"/>: 256 MiB.</summary>
    public const long DefaultSnapshotAfterBytes = 256L << 20;

    /// <summary>A snapshot is taken once this much WAL was written since the last one (bounds recovery time).</summary>
    public long SnapshotAfterBytes { get; set; } = DefaultSnapshotAfterBytes;

    /// <summary>
    /// Jobs a snapshot writes per slice between batches: about 3 ms of the writer at ~0.4 µs per job, so a batch
    /// waits at most that long behind a snapshot instead of for the whole table. Internal: a test knob.
    /// </summary>
    internal int SnapshotSliceJobs { get; set; } = 8192;

    /// <summary>Take a snapshot on close, so the next start replays nothing.</summary>
    public bool SnapshotOnClose { get; set; } = true;

    /// <summary>After a failed write (disk full, I/O error), how long writes are refused before one is tried again.</summary>
    public TimeSpan WriteRetryInterval { get; set; } = TimeSpan.FromSeconds(1);
}
