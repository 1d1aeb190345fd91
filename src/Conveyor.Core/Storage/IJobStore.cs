using Conveyor.Core.Cron;
using Conveyor.Core.Jobs;

namespace Conveyor.Core.Storage;

/// <summary>
/// The store contract: one atomic operation per transition, and the reads the API needs. Every store
/// (embedded, PostgreSQL) implements it and passes the same conformance suite; nothing above it knows
/// which store it talks to. Each call is atomic: it happens whole and durably, or not at all.
/// </summary>
/// <remarks>
/// Time comes from the store's <see cref="TimeProvider"/> (<see cref="JobStoreSettings.Time"/>). A write
/// that cannot be made durable throws <see cref="StorageUnavailableException"/> and changes nothing.
/// </remarks>
public interface IJobStore : IAsyncDisposable
{
    /// <summary>
    /// Null while the store serves; otherwise why it cannot: the embedded store sets it once it has stopped for good (an
    /// internal error it cannot answer past without a restart); a store on a database server sets it while the database
    /// cannot be reached and clears it when it is back. Readiness reports it.
    /// </summary>
    StorageUnavailableException? Failure { get; }

    /// <summary>
    /// Enqueues a batch, all or nothing. Existing ids and held unique keys return the existing job. A store with a memory
    /// budget answers <see cref="EnqueueStatus.StorageFull"/> past it, writing nothing.
    /// </summary>
    ValueTask<EnqueueResult> EnqueueAsync(JobEnqueue request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Leases up to <see cref="JobFetch.Max"/> available jobs: queues in the order given, higher priority first,
    /// FIFO within a priority; paused queues skipped. When none is available it waits up to
    /// <see cref="JobFetch.Wait"/> (on the store's clock) and leases what arrives first, waiting fetchers served
    /// in the order they came; then it answers empty. Cancelling <paramref name="cancellationToken"/> ends the
    /// wait with <see cref="OperationCanceledException"/> unless jobs were already leased to this fetch, which
    /// are then returned (never leased to nobody).
    /// </summary>
    ValueTask<IReadOnlyList<JobInfo>> FetchAsync(JobFetch request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Releases leases a fetch granted but could not deliver (<see cref="LeasesRelease"/>), in one atomic write: each job
    /// still held by its token goes back to available with its attempt not counted and no failure recorded; returns how many.
    /// </summary>
    ValueTask<int> ReleaseAsync(LeasesRelease request, CancellationToken cancellationToken = default);

    /// <summary>Acks and fails a batch of leased jobs; each item succeeds or is refused on its own.</summary>
    ValueTask<IReadOnlyList<SettleResult>> SettleAsync(JobSettle request, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease of an active job held with the given token.</summary>
    ValueTask<HeartbeatResult> HeartbeatAsync(JobHeartbeat request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reports which of the leases named are no longer held and why (<see cref="LeasesCheck"/>), in the order named; held
    /// leases are left out. A read: it writes nothing, so a worker may call it often for all its running jobs.
    /// </summary>
    ValueTask<IReadOnlyList<LostLease>> CheckLeasesAsync(LeasesCheck request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the progress of an active job held with the given token (<see cref="JobProgressReport"/>), durably; a token
    /// that is not the job's current lease is <see cref="SettleStatus.Stale"/> and changes nothing.
    /// </summary>
    ValueTask<SettleStatus> ReportProgressAsync(JobProgressReport request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Answers the job once it is finished (completed, dead or cancelled; at once if it already is), null once it is
    /// unknown or removed, or the job as it is when <see cref="JobWait.Timeout"/> passes on the store's clock, unfinished.
    /// No polling: the store wakes waiters when a job finishes, however many wait on it. Cancelling
    /// <paramref name="cancellationToken"/> ends the wait with <see cref="OperationCanceledException"/>.
    /// </summary>
    ValueTask<JobInfo?> WaitForFinishAsync(JobWait request, CancellationToken cancellationToken = default);

    /// <summary>Cancels a job that has not finished.</summary>
    ValueTask<CommandResult> CancelAsync(JobCancel request, CancellationToken cancellationToken = default);

    /// <summary>Makes a dead or retrying job available now.</summary>
    ValueTask<CommandResult> RetryAsync(JobRetry request, CancellationToken cancellationToken = default);

    /// <summary>Sends the scheduled or retrying jobs among <see cref="JobsKill.Ids"/> to dead, in one atomic write; returns how many moved.</summary>
    ValueTask<int> KillAsync(JobsKill request, CancellationToken cancellationToken = default);

    /// <summary>Deletes the jobs among <see cref="JobsDiscard.Ids"/> that are not active, in one atomic write; returns how many.</summary>
    ValueTask<int> DiscardAsync(JobsDiscard request, CancellationToken cancellationToken = default);

    /// <summary>Makes the scheduled, retrying or dead jobs among <see cref="JobsRequeue.Ids"/> available now, in one atomic write; returns how many.</summary>
    ValueTask<int> RequeueAsync(JobsRequeue request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes every scheduled or retrying job whose time has come available, up to <see cref="JobsPromote.Max"/>; returns
    /// how many (when that is the maximum, more may be due: call again). The same for the next two; a maximum below 1 is
    /// an <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    ValueTask<int> PromoteAsync(JobsPromote request, CancellationToken cancellationToken = default);

    /// <summary>Fails every active job whose lease ran out with <see cref="JobFailure.LeaseExpiredType"/>, up to <see cref="LeasesExpire.Max"/>; returns how many.</summary>
    ValueTask<int> ExpireLeasesAsync(LeasesExpire request, CancellationToken cancellationToken = default);

    /// <summary>Removes finished jobs past their retention window or over the retention caps, up to <see cref="JobsPrune.Max"/>; returns how many.</summary>
    ValueTask<int> PruneAsync(JobsPrune request, CancellationToken cancellationToken = default);

    /// <summary>Stops fetches from a queue (creating it if new).</summary>
    ValueTask QueuePauseAsync(QueuePause request, CancellationToken cancellationToken = default);

    /// <summary>Lets fetches take from a queue again.</summary>
    ValueTask QueueResumeAsync(QueueResume request, CancellationToken cancellationToken = default);

    /// <summary>Removes the available jobs of a queue; returns how many.</summary>
    ValueTask<int> QueuePurgeAsync(QueuePurge request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a queue that has no available, scheduled, retrying or active job and is not paused, in one atomic write:
    /// it no longer lists, also after a restart. Its finished jobs stay (until pruned) and keep its name; enqueueing to
    /// the name, or retrying one of them, makes the queue anew. A paused or non-empty queue is left as it is.
    /// </summary>
    ValueTask<QueueRemoveStatus> QueueRemoveAsync(QueueRemove request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes every job and queue in one atomic write (<see cref="JobsFlush"/>): one store operation whatever the
    /// store's size, never page by page from the caller; returns how many jobs went. After a restart nothing of them comes back.
    /// </summary>
    ValueTask<int> FlushAsync(JobsFlush request, CancellationToken cancellationToken = default);

    /// <summary>One job, or null when unknown.</summary>
    ValueTask<JobInfo?> GetJobAsync(JobGet request, CancellationToken cancellationToken = default);

    /// <summary>A page of jobs, newest first.</summary>
    ValueTask<JobPage> ListJobsAsync(JobList request, CancellationToken cancellationToken = default);

    /// <summary>Every known queue with its counts, by name.</summary>
    ValueTask<IReadOnlyList<QueueInfo>> ListQueuesAsync(CancellationToken cancellationToken = default);

    /// <summary>A page of known queues with their counts, by ordinal name (<see cref="QueueList"/>).</summary>
    ValueTask<QueuePage> ListQueuesAsync(QueueList request, CancellationToken cancellationToken = default);

    /// <summary>Counts per state and lifetime totals.</summary>
    ValueTask<StoreStats> GetStatsAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a schedule (<see cref="CronSave"/>); returns it as stored.</summary>
    ValueTask<CronScheduleInfo> CronSaveAsync(CronSave request, CancellationToken cancellationToken = default);

    /// <summary>Deletes a schedule; false when there was none of that name.</summary>
    ValueTask<bool> CronDeleteAsync(CronDelete request, CancellationToken cancellationToken = default);

    /// <summary>One schedule, or null when unknown.</summary>
    ValueTask<CronScheduleInfo?> CronGetAsync(CronGet request, CancellationToken cancellationToken = default);

    /// <summary>Every schedule, by ordinal name.</summary>
    ValueTask<IReadOnlyList<CronScheduleInfo>> CronListAsync(CancellationToken cancellationToken = default);

    /// <summary>Pauses or resumes a schedule; returns it as stored, or null when unknown.</summary>
    ValueTask<CronScheduleInfo?> CronPauseAsync(CronPause request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Fires the due schedules (<see cref="CronFireDue"/>): for each, in one atomic write, enqueues the job of the tick
    /// <see cref="CronDue.TickToFire"/> picks and records that tick as its last, so a tick fires once through crashes and
    /// restarts. Returns how many ticks fired (at the maximum, call again).
    /// </summary>
    ValueTask<int> CronFireDueAsync(CronFireDue request, CancellationToken cancellationToken = default);
}
