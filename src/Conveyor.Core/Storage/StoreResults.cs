using Conveyor.Core.Jobs;

namespace Conveyor.Core.Storage;

/// <summary>
/// The ids of an enqueued batch, in request order; or, when <see cref="Status"/> is <see cref="EnqueueStatus.IdConflict"/>
/// or <see cref="EnqueueStatus.StorageFull"/>, no ids and nothing written (a batch is all or nothing).
/// </summary>
public sealed record EnqueueResult(IReadOnlyList<EnqueuedJob> Jobs)
{
    /// <summary>Whether the batch was applied.</summary>
    public EnqueueStatus Status { get; init; } = EnqueueStatus.Ok;

    /// <summary>With <see cref="EnqueueStatus.IdConflict"/>, the position in the batch of the first job that conflicts; else -1.</summary>
    public int ConflictIndex { get; init; } = -1;

    /// <summary>The refusal of a batch whose job at <paramref name="index"/> reuses an id with another type or args.</summary>
    public static EnqueueResult IdConflict(int index) => new([]) { Status = EnqueueStatus.IdConflict, ConflictIndex = index };

    /// <summary>The refusal of a batch because the store is at its memory budget.</summary>
    public static EnqueueResult StorageFull() => new([]) { Status = EnqueueStatus.StorageFull };
}

/// <summary>How an enqueue went; every store decides it the same way.</summary>
public enum EnqueueStatus
{
    /// <summary>Applied: each job was created or, for the same id with the same type and args, the existing one returned.</summary>
    Ok,

    /// <summary>
    /// Refused, nothing written: a job names an id that exists (or comes earlier in the batch) with a different type or
    /// different args (compared byte for byte as stored). Unique-key dedup is not a conflict.
    /// </summary>
    IdConflict,

    /// <summary>
    /// Refused, nothing written: the store holds as much as its memory budget allows (embedded store, docs/operations.md).
    /// Only new work is refused; fetch, settle, heartbeat, cancel, purge and reads go on and free room. A store without
    /// such a bound (PostgreSQL) never answers it.
    /// </summary>
    StorageFull,
}

/// <summary>
/// One enqueued job: <paramref name="Created"/> is false when an existing job was returned (same id or unique key). The
/// id is a <see cref="JobKey"/>, so a server-assigned one is written into an answer from its value, without a string.
/// </summary>
public readonly record struct EnqueuedJob(JobKey Key, bool Created)
{
    /// <summary>
    /// True when the existing job was returned because it holds the unique key the new one asked for (not because the
    /// id was the same): the duplicate a Faktory client is told <c>NOTUNIQUE</c> of.
    /// </summary>
    public bool UniqueHeld { get; init; }

    /// <summary>The id (a new string when it is held as a ULID value).</summary>
    public string Id => Key.ToString();
}

/// <summary>How one settle item (or heartbeat) went.</summary>
public enum SettleStatus
{
    /// <summary>Applied.</summary>
    Ok,

    /// <summary>The token is not the job's current lease (expired and redelivered, settled, cancelled).</summary>
    Stale,

    /// <summary>No such job.</summary>
    Unknown,
}

/// <summary>Why a lease a worker asked about (<see cref="LeasesCheck"/>) is no longer held.</summary>
public enum LeaseLoss
{
    /// <summary>The job was cancelled; its handler should stop, and its ack or fail is refused.</summary>
    Cancelled,

    /// <summary>The lease is not the job's current one: it expired, was released, or the attempt was settled; the job may run elsewhere.</summary>
    Lost,

    /// <summary>No such job (never known, or already removed).</summary>
    Unknown,
}

/// <summary>A lease named in a <see cref="LeasesCheck"/> that is no longer held, under the id and token the request named.</summary>
public readonly record struct LostLease(JobKey Id, string Token, LeaseLoss Loss);

/// <summary>The outcome of one ack or fail, under the id the request named.</summary>
public readonly record struct SettleResult(JobKey Id, SettleStatus Status);

/// <summary>The outcome of a heartbeat; <paramref name="ExpiresAt"/> is set when <see cref="SettleStatus.Ok"/>.</summary>
public sealed record HeartbeatResult(SettleStatus Status, DateTimeOffset? ExpiresAt);

/// <summary>How an operator command went.</summary>
public enum CommandStatus
{
    /// <summary>Applied.</summary>
    Ok,

    /// <summary>No such job.</summary>
    NotFound,

    /// <summary>Not legal from the job's state (see <see cref="CommandResult.State"/>).</summary>
    Conflict,
}

/// <summary>The outcome of cancel or retry; <paramref name="State"/> is the job's state after (or at refusal).</summary>
public sealed record CommandResult(CommandStatus Status, JobState? State)
{
    /// <summary>A sentence for a refusal.</summary>
    public string Describe(JobOperation operation) => Status switch
    {
        CommandStatus.Ok => "ok",
        CommandStatus.NotFound => "no such job",
        _ => JobTransitions.Describe(State!.Value, operation),
    };
}

/// <summary>A page of jobs and the cursor of the next (null at the end).</summary>
public sealed record JobPage(IReadOnlyList<JobInfo> Jobs, string? NextCursor);

/// <summary>A page of queues and the name to list after for the next (null at the end).</summary>
public sealed record QueuePage(IReadOnlyList<QueueInfo> Queues, string? Next);

/// <summary>What became of a <see cref="QueueRemove"/>.</summary>
public enum QueueRemoveStatus
{
    /// <summary>The queue is gone, and stays gone after a restart.</summary>
    Removed,

    /// <summary>No queue has that name.</summary>
    NotFound,

    /// <summary>The queue still has available, scheduled, retrying or active jobs; nothing changed.</summary>
    NotEmpty,

    /// <summary>The queue is paused (an operator's decision a removal would silently undo); nothing changed.</summary>
    Paused,
}

/// <summary>A queue and its counts.</summary>
public sealed record QueueInfo(string Name, int Available, int Scheduled, int Retrying, int Active, bool Paused)
{
    /// <summary>
    /// When the available job that has waited longest became available: when it was enqueued, or, for a job that was
    /// scheduled, retrying or dead, when it was promoted, retried or requeued (the wait a worker could have ended, not the
    /// job's age). Null when none is available. A queue's latency is now minus this.
    /// </summary>
    public DateTimeOffset? OldestAvailableAt { get; init; }

    /// <summary>
    /// Where the store stops counting: a count equal to it means at least that many. Null for a store whose counts
    /// are exact (the embedded one keeps them in memory).
    /// </summary>
    public int? CountCap { get; init; }
}

/// <summary>Counts per state and lifetime totals.</summary>
/// <param name="Counts">Jobs currently in each state (every state present).</param>
/// <param name="Processed">Attempts ever completed (acked).</param>
/// <param name="Failed">Attempts ever failed, lease expiries included.</param>
public sealed record StoreStats(IReadOnlyDictionary<JobState, long> Counts, long Processed, long Failed)
{
    /// <summary>What the store wrote since it opened; null for a store that does not count it.</summary>
    public StorageCounters? Storage { get; init; }

    /// <summary>The memory the store's jobs take against its budget; null for a store without one.</summary>
    public StoreMemory? Memory { get; init; }

    /// <summary>This node among the nodes sharing the store; null for a store that only one node uses (it is its own leader).</summary>
    public StoreCluster? Cluster { get; init; }

    /// <summary>
    /// Where the store stops counting unfinished jobs (scheduled, available, active, retrying): a count equal to it means
    /// at least that many. Null for a store whose counts are exact.
    /// </summary>
    public long? CountCap { get; init; }
}

/// <summary>A node among several sharing one store (docs/postgres.md, "Leader").</summary>
/// <param name="Node">This node's id.</param>
/// <param name="Leader">Whether this node leads now: only the leader runs promotion, lease expiry, pruning and schedules.</param>
/// <param name="Term">The term this node leads, or else the last term it saw another node hold (0 before any).</param>
public sealed record StoreCluster(string Node, bool Leader, long Term);

/// <summary>A store's memory as it accounts it (docs/operations.md, "Memory budget").</summary>
/// <param name="HeldBytes">What the jobs held take: args, ids and texts, failures, plus a fixed overhead a job.</param>
/// <param name="BudgetBytes">Past this enqueues are refused (<see cref="EnqueueStatus.StorageFull"/>); <see cref="long.MaxValue"/> for none.</param>
public sealed record StoreMemory(long HeldBytes, long BudgetBytes);

/// <summary>A store's write counters since it opened.</summary>
/// <param name="Flushes">Group commits that wrote to the log.</param>
/// <param name="Fsyncs">fsyncs of the log by those commits (one per commit in sync mode; fewer in interval mode).</param>
/// <param name="BytesWritten">Bytes written to the log.</param>
/// <param name="Snapshots">Snapshots written.</param>
/// <param name="SnapshotFailures">Snapshots given up on an I/O error (the log was kept).</param>
public sealed record StorageCounters(long Flushes, long Fsyncs, long BytesWritten, long Snapshots, long SnapshotFailures);
