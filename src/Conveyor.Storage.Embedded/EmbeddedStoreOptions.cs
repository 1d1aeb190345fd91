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

    /// <summary>
    /// The share of the process's memory limit the default memory budget takes: 40 %. Recovery holds the newest snapshot's
    /// whole body (up to the size of the jobs' args and texts) beside the table it rebuilds, so a store filled to the budget
    /// must still load in about twice the budget; the rest is for requests in flight, the GC's own room and a snapshot being
    /// written. docs/operations.md, "Memory budget".
    /// </summary>
    public const double DefaultMemoryBudgetFraction = 0.4;

    /// <summary>
    /// The most memory the jobs held may take, as the store accounts it (args, ids, texts, failures, plus a fixed overhead a
    /// job); past it enqueues are refused with <see cref="Core.Storage.EnqueueStatus.StorageFull"/> while everything else
    /// goes on. Null: <see cref="DefaultMemoryBudgetFraction"/> of <see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/> (the
    /// container's or <c>DOTNET_GCHeapHardLimit</c>'s limit, else the machine's memory). <see cref="long.MaxValue"/>: none.
    /// Recovery loads everything on disk whatever the budget: it only refuses new work.
    /// </summary>
    public long? MemoryBudgetBytes { get; set; }

    /// <summary>The budget in force: <see cref="MemoryBudgetBytes"/>, or its default from the memory limit.</summary>
    public long ResolveMemoryBudget() => MemoryBudgetBytes ?? DefaultMemoryBudget();

    /// <summary><see cref="DefaultMemoryBudgetFraction"/> of the memory the GC may use (container or heap hard limit).</summary>
    public static long DefaultMemoryBudget() => (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * DefaultMemoryBudgetFraction);

    /// <summary>After a failed write (disk full, I/O error), how long writes are refused before one is tried again.</summary>
    public TimeSpan WriteRetryInterval { get; set; } = TimeSpan.FromSeconds(1);
}
