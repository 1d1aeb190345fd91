using Conveyor.Core.Jobs;

namespace Conveyor.Core.Storage;

/// <summary>Enqueue a batch of validated jobs, all or nothing.</summary>
public sealed record JobEnqueue(IReadOnlyList<JobSpec> Jobs);

/// <summary>
/// Lease up to <paramref name="Max"/> jobs from <paramref name="Queues"/>, in the order given; when none is
/// available, wait up to <paramref name="Wait"/> for one (long-poll) before answering empty.
/// </summary>
public sealed record JobFetch(IReadOnlyList<string> Queues, int Max, string? WorkerId, TimeSpan Wait = default);

/// <summary>Acks and fails in one atomic write. Results come back acks first, then fails, each in order.</summary>
public sealed record JobSettle(IReadOnlyList<JobAck> Acks, IReadOnlyList<JobFail> Fails);

/// <summary>
/// Success of the attempt held by <paramref name="Token"/>. The id is a <see cref="JobKey"/> (a string converts to
/// one), so a batch read off the wire need not make a string per server-assigned id.
/// </summary>
public sealed record JobAck(JobKey Id, string Token)
{
    /// <summary>
    /// When set, the lease must also have been granted to this worker id (<see cref="JobFetch.WorkerId"/>, compared
    /// ordinally); otherwise the item is <see cref="SettleStatus.Stale"/> and the lease stays with its holder.
    /// </summary>
    public string? WorkerId { get; init; }

    /// <summary>
    /// The job's result: one UTF-8 JSON value (checked and bounded by the caller, at most
    /// <see cref="Inputs.InputLimits.ResultBytes"/>), kept with the completed job; null for none.
    /// </summary>
    public byte[]? Result { get; init; }
}

/// <summary>
/// Failure of the attempt held by <paramref name="Token"/>; <paramref name="RetryIn"/> overrides the back-off.
/// <paramref name="Retry"/> false ends the job as if its attempts had run out (a handler's permanent failure).
/// </summary>
public sealed record JobFail(
    JobKey Id, string Token, string ErrorType, string Message, IReadOnlyList<string> Backtrace, TimeSpan? RetryIn = null, bool Retry = true)
{
    /// <summary>When set, the lease must also have been granted to this worker id, as for <see cref="JobAck.WorkerId"/>.</summary>
    public string? WorkerId { get; init; }
}

/// <summary>
/// Hand back leases whose answer never reached the worker (the fetch answer failed to build or send): each job held by
/// its token goes back to available, its attempt not counted, as if the fetch had not leased it. Stale tokens are skipped.
/// </summary>
public sealed record LeasesRelease(IReadOnlyList<JobLeaseRef> Leases);

/// <summary>One lease to release: the job and the token it was leased with.</summary>
public sealed record JobLeaseRef(JobKey Id, string Token);

/// <summary>
/// Which of <paramref name="Leases"/> are no longer held, and why: a read a worker makes about once a second for every job it
/// runs, so it writes nothing. A lease still held (even past its end, until maintenance expires it) is not reported.
/// </summary>
public sealed record LeasesCheck(IReadOnlyList<JobLeaseRef> Leases);

/// <summary>Extend the lease held by <paramref name="Token"/> by <paramref name="Extend"/> from now (default: the job's lease length).</summary>
public sealed record JobHeartbeat(string Id, string Token, TimeSpan? Extend = null);

/// <summary>
/// Progress of the attempt held by <paramref name="Token"/>: <paramref name="Percent"/> 0–100 and an optional
/// <paramref name="Message"/> (bounded by the caller), replacing the job's previous progress.
/// </summary>
public sealed record JobProgressReport(JobKey Id, string Token, int Percent, string? Message);

/// <summary>
/// Wait until job <paramref name="Id"/> is finished (completed, dead or cancelled) or gone, at most
/// <paramref name="Timeout"/> on the store's clock.
/// </summary>
public sealed record JobWait(string Id, TimeSpan Timeout);

/// <summary>Cancel a job.</summary>
public sealed record JobCancel(string Id);

/// <summary>Retry a dead or retrying job now.</summary>
public sealed record JobRetry(string Id);

/// <summary>Send scheduled or retrying jobs straight to dead; ids in other states (or unknown) are skipped.</summary>
public sealed record JobsKill(IReadOnlyList<string> Ids);

/// <summary>Delete jobs that are not active; ids in other states (or unknown) are skipped.</summary>
public sealed record JobsDiscard(IReadOnlyList<string> Ids);

/// <summary>Make scheduled, retrying or dead jobs available now; ids in other states (or unknown) are skipped.</summary>
public sealed record JobsRequeue(IReadOnlyList<string> Ids);

/// <summary>Promote due scheduled and retrying jobs, at most <paramref name="Max"/> (earliest first) in this write.</summary>
public sealed record JobsPromote(int Max = int.MaxValue);

/// <summary>Expire the leases that ran out, at most <paramref name="Max"/> (earliest first) in this write.</summary>
public sealed record LeasesExpire(int Max = int.MaxValue);

/// <summary>Prune finished jobs per <see cref="RetentionPolicy"/>, at most <paramref name="Max"/> (oldest first) in this write.</summary>
public sealed record JobsPrune(int Max = int.MaxValue);

/// <summary>Pause a queue.</summary>
public sealed record QueuePause(string Name);

/// <summary>Resume a queue.</summary>
public sealed record QueueResume(string Name);

/// <summary>Purge the available jobs of a queue.</summary>
public sealed record QueuePurge(string Name);

/// <summary>
/// Delete a queue that is empty (no available, scheduled, retrying or active job) and not paused; its finished jobs
/// stay until pruned. See <see cref="QueueRemoveStatus"/> for the answers.
/// </summary>
public sealed record QueueRemove(string Name);

/// <summary>
/// Read a page of queues in ordinal name order: at most <paramref name="Limit"/>, the first after
/// <paramref name="After"/> (a name; null starts at the beginning).
/// </summary>
public sealed record QueueList(int Limit, string? After = null);

/// <summary>
/// Remove every job, whatever its state (active ones included: their leases end, and a late ack or fail finds no
/// such job), and every queue with its paused flag, in one atomic write. Lifetime totals are kept.
/// </summary>
public sealed record JobsFlush;

/// <summary>Read one job.</summary>
public sealed record JobGet(string Id);

/// <summary>
/// Read a page of jobs, newest first, optionally filtered (every filter given must match). <paramref name="Cursor"/> is the
/// <see cref="JobPage.NextCursor"/> of the previous page (opaque).
/// </summary>
public sealed record JobList(JobState? State = null, string? Queue = null, string? Type = null, int Limit = 50, string? Cursor = null)
{
    /// <summary>The largest page.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Only jobs carrying this tag (exact match).</summary>
    public string? Tag { get; init; }

    /// <summary>Only jobs whose id starts with this text (ordinal).</summary>
    public string? IdPrefix { get; init; }

    /// <summary>Only jobs created at or after this time.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Only jobs created before this time.</summary>
    public DateTimeOffset? CreatedTo { get; init; }
}
