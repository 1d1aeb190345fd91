using Conveyor.Core.Inputs;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conveyor.Broker;

/// <summary>
/// The broker: what the server's protocols (the HTTP API and the Faktory listener) call. It validates requests, hands fetches (with
/// their long-polls) to the store, and runs maintenance. Every state change is one store operation; the
/// broker holds no job state of its own.
/// </summary>
public sealed partial class JobBroker : IAsyncDisposable
{
    private readonly IJobStore store;
    private readonly TimeProvider time;
    private readonly ILogger<JobBroker> logger;
    private readonly ThroughputMeter throughput;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock maintenanceLock = new();
    private MaintenanceTotals maintenance = new(0, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Creates a broker over <paramref name="store"/>.</summary>
    public JobBroker(IJobStore store, TimeProvider time, IOptions<BrokerOptions> options, ILogger<JobBroker> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        this.store = store;
        this.time = time;
        this.logger = logger;
        Options = options.Value;
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaintenanceBatch, 1, nameof(BrokerOptions.MaintenanceBatch));
        throughput = new ThroughputMeter(Options.ThroughputWindow);
    }

    /// <summary>The options in force.</summary>
    public BrokerOptions Options { get; }

    /// <summary>The clock the broker and its store run on (a fake one in tests).</summary>
    public TimeProvider Time => time;

    /// <summary>The store behind the broker (for composition, e.g. disposal order).</summary>
    public IJobStore Store => store;

    /// <summary>Validates and enqueues one job.</summary>
    public async ValueTask<EnqueuedJob> EnqueueAsync(JobSpec job, CancellationToken cancellationToken = default)
    {
        var result = await EnqueueBatchAsync([job], cancellationToken, batch: false).ConfigureAwait(false);
        return result.Jobs[0];
    }

    /// <summary>Validates and enqueues a batch, all or nothing.</summary>
    public ValueTask<EnqueueResult> EnqueueBatchAsync(IReadOnlyList<JobSpec> jobs, CancellationToken cancellationToken = default) =>
        EnqueueBatchAsync(jobs, cancellationToken, batch: true);

    private async ValueTask<EnqueueResult> EnqueueBatchAsync(IReadOnlyList<JobSpec> jobs, CancellationToken cancellationToken, bool batch)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count is 0 or > JobDefaults.MaxBatch)
        {
            throw new RequestRejectedException("jobs", $"a batch holds 1–{JobDefaults.MaxBatch} jobs", tooLarge: jobs.Count > 0);
        }

        for (var i = 0; i < jobs.Count; i++)
        {
            if (JobSpecValidator.Validate(jobs[i]) is { } error)
            {
                throw new RequestRejectedException(error.Field, error.Message, batch ? i : null, tooLarge: error.TooLarge);
            }
        }

        return JobTracing.Enabled
            ? await EnqueueTracedAsync(jobs, cancellationToken, batch).ConfigureAwait(false)
            : await StoreEnqueueAsync(jobs, cancellationToken, batch).ConfigureAwait(false);
    }

    private async ValueTask<EnqueueResult> StoreEnqueueAsync(IReadOnlyList<JobSpec> jobs, CancellationToken cancellationToken, bool batch)
    {
        var result = await store.EnqueueAsync(new JobEnqueue(jobs), cancellationToken).ConfigureAwait(false);
        if (result.Status == EnqueueStatus.IdConflict)
        {
            var index = result.ConflictIndex;
            throw new JobIdConflictException(jobs[index].Id ?? "", batch ? index : null);
        }

        if (result.Status == EnqueueStatus.StorageFull)
        {
            throw new StorageFullException();
        }

        return result;
    }

    /// <summary>
    /// Leases up to <paramref name="max"/> jobs from <paramref name="queues"/>; when none is available, waits
    /// up to <paramref name="wait"/> for one (long-poll, held by the store) and returns an empty list if none
    /// came or the broker is stopping.
    /// </summary>
    public async ValueTask<IReadOnlyList<JobInfo>> FetchAsync(
        IReadOnlyList<string> queues, int max, TimeSpan wait, string? workerId, CancellationToken cancellationToken = default)
    {
        ValidateFetch(queues, max, wait, workerId);
        var request = new JobFetch(queues, max, workerId, wait);
        var started = JobTracing.Enabled ? DateTimeOffset.UtcNow : (DateTimeOffset?)null; // the span's clock, not the store's
        if (wait == TimeSpan.Zero)
        {
            // A fetch that does not wait answers at once: nothing to cancel.
            return Traced(await store.FetchAsync(request, CancellationToken.None).ConfigureAwait(false), started, queues);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping.Token);
        try
        {
            return Traced(await store.FetchAsync(request, linked.Token).ConfigureAwait(false), started, queues);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return [];
        }
    }

    private static void ValidateFetch(IReadOnlyList<string> queues, int max, TimeSpan wait, string? workerId)
    {
        ArgumentNullException.ThrowIfNull(queues);
        if (queues.Count == 0)
        {
            throw new RequestRejectedException("queues", "name at least one queue");
        }

        if (queues.Count > InputLimits.FetchQueues)
        {
            throw new RequestRejectedException("queues", $"at most {InputLimits.FetchQueues} queues in one fetch", tooLarge: true);
        }

        for (var i = 0; i < queues.Count; i++)
        {
            if (NameRules.Check(queues[i], InputLimits.QueueLength) is { } error)
            {
                throw new RequestRejectedException("queues", $"queue {i} {error.Message}", tooLarge: error.TooLarge);
            }
        }

        if (workerId is not null && NameRules.Check(workerId, InputLimits.WorkerIdLength) is { } widError)
        {
            throw new RequestRejectedException("worker_id", widError.Message, tooLarge: widError.TooLarge);
        }

        if (max is < 1 or > JobDefaults.MaxFetch)
        {
            throw new RequestRejectedException("max", $"must be 1–{JobDefaults.MaxFetch}");
        }

        if (wait < TimeSpan.Zero || wait > JobDefaults.MaxFetchWait)
        {
            throw new RequestRejectedException("wait_ms", $"must be 0–{JobDefaults.MaxFetchWait.TotalMilliseconds}");
        }
    }

    /// <summary>
    /// Hands back the leases of a fetch whose answer could not be built or sent, so the jobs are available again at once
    /// (attempt not counted) instead of after the lease runs out. Never throws: a store that cannot write leaves the
    /// leases to expire, as before. Returns how many were released.
    /// </summary>
    public async ValueTask<int> ReleaseAsync(IReadOnlyList<JobInfo> leased)
    {
        ArgumentNullException.ThrowIfNull(leased);
        List<JobLeaseRef> leases = [];
        foreach (var job in leased)
        {
            if (job.Lease is { } lease)
            {
                leases.Add(new JobLeaseRef(job.Key, lease.Token));
            }
        }

        if (leases.Count == 0)
        {
            return 0;
        }

        try
        {
            var released = await store.ReleaseAsync(new LeasesRelease(leases), CancellationToken.None).ConfigureAwait(false);
            LogLeasesReleased(released);
            return released;
        }
        catch (Exception ex) when (ex is StorageUnavailableException or ObjectDisposedException)
        {
            LogReleaseFailed(ex.Message);
            return 0;
        }
    }

    /// <summary>Acks and fails a batch of leased jobs.</summary>
    public ValueTask<IReadOnlyList<SettleResult>> SettleAsync(JobSettle request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Acks.Count + request.Fails.Count > JobDefaults.MaxBatch)
        {
            throw new RequestRejectedException("ack", $"at most {JobDefaults.MaxBatch} items in one settle", tooLarge: true);
        }

        CheckResults(request.Acks);
        var fails = request.Fails;
        for (var i = 0; i < fails.Count; i++)
        {
            var bounded = FailureText.Bound(fails[i]);
            if (!ReferenceEquals(bounded, fails[i]))
            {
                // Rare: copy the list only when some failure's text was over its limit.
                var copy = fails.ToArray();
                for (var j = i; j < copy.Length; j++)
                {
                    copy[j] = FailureText.Bound(copy[j]);
                }

                request = request with { Fails = copy };
                break;
            }
        }

        return JobTracing.Enabled ? SettleTracedAsync(request, cancellationToken) : store.SettleAsync(request, cancellationToken);
    }

    /// <summary>Acks one job.</summary>
    public ValueTask<SettleStatus> AckAsync(string id, string token, CancellationToken cancellationToken = default) =>
        AckAsync(id, token, null, cancellationToken);

    /// <summary>Acks one job, keeping <paramref name="result"/> (raw JSON, at most <see cref="InputLimits.ResultBytes"/>) with it.</summary>
    public async ValueTask<SettleStatus> AckAsync(string id, string token, byte[]? result, CancellationToken cancellationToken = default)
    {
        if (result is { Length: > InputLimits.ResultBytes })
        {
            throw new RequestRejectedException("result", ResultTooLarge, tooLarge: true);
        }

        var request = new JobSettle([new JobAck(id, token) { Result = result }], []);
        var results = await (JobTracing.Enabled ? SettleTracedAsync(request, cancellationToken) : store.SettleAsync(request, cancellationToken)).ConfigureAwait(false);
        return results[0].Status;
    }

    /// <summary>Fails one job.</summary>
    public async ValueTask<SettleStatus> FailAsync(JobFail fail, CancellationToken cancellationToken = default)
    {
        if (fail.RetryIn is { } retryIn && (retryIn < TimeSpan.Zero || retryIn > TimeSpan.FromDays(365)))
        {
            throw new RequestRejectedException("retry_in_ms", "must be 0 to one year");
        }

        var request = new JobSettle([], [FailureText.Bound(fail)]);
        var results = await (JobTracing.Enabled ? SettleTracedAsync(request, cancellationToken) : store.SettleAsync(request, cancellationToken)).ConfigureAwait(false);
        return results[0].Status;
    }

    /// <summary>Extends a lease.</summary>
    public ValueTask<HeartbeatResult> HeartbeatAsync(JobHeartbeat request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Extend is { } extend && (extend < TimeSpan.FromSeconds(1) || extend > TimeSpan.FromSeconds(JobDefaults.MaxLeaseSeconds)))
        {
            throw new RequestRejectedException("extend_seconds", $"must be 1–{JobDefaults.MaxLeaseSeconds}");
        }

        return store.HeartbeatAsync(request, cancellationToken);
    }

    /// <summary>Which of a worker's leases are no longer held, and why; a read (at most <see cref="InputLimits.LeaseChecks"/> leases).</summary>
    public ValueTask<IReadOnlyList<LostLease>> CheckLeasesAsync(LeasesCheck request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Leases.Count > InputLimits.LeaseChecks)
        {
            throw new RequestRejectedException("leases", $"at most {InputLimits.LeaseChecks} leases in one check", tooLarge: true);
        }

        return store.CheckLeasesAsync(request, cancellationToken);
    }

    /// <summary>
    /// Raised with the job's id after <see cref="CancelAsync"/> cancelled it, so a protocol that holds running jobs
    /// (the gRPC Work stream) can tell the worker at once. Handlers must not block: they run on the canceller's call.
    /// </summary>
    public event Action<string>? JobCancelled;

    /// <summary>Cancels a job.</summary>
    public async ValueTask<CommandResult> CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        var result = await store.CancelAsync(new JobCancel(id), cancellationToken).ConfigureAwait(false);
        if (result.Status == CommandStatus.Ok)
        {
            JobCancelled?.Invoke(id);
        }

        return result;
    }

    /// <summary>Retries a dead or retrying job now.</summary>
    public ValueTask<CommandResult> RetryAsync(string id, CancellationToken cancellationToken = default) =>
        store.RetryAsync(new JobRetry(id), cancellationToken);

    /// <summary>Pauses a queue.</summary>
    public ValueTask PauseQueueAsync(string name, CancellationToken cancellationToken = default) =>
        store.QueuePauseAsync(new QueuePause(RequireQueueName(name)), cancellationToken);

    /// <summary>Resumes a queue.</summary>
    public ValueTask ResumeQueueAsync(string name, CancellationToken cancellationToken = default) =>
        store.QueueResumeAsync(new QueueResume(RequireQueueName(name)), cancellationToken);

    /// <summary>Removes a queue's available jobs.</summary>
    public ValueTask<int> PurgeQueueAsync(string name, CancellationToken cancellationToken = default) =>
        store.QueuePurgeAsync(new QueuePurge(RequireQueueName(name)), cancellationToken);

    /// <summary>Deletes a queue that has no jobs waiting or running and is not paused (see <see cref="IJobStore.QueueRemoveAsync"/>).</summary>
    public ValueTask<QueueRemoveStatus> RemoveQueueAsync(string name, CancellationToken cancellationToken = default) =>
        store.QueueRemoveAsync(new QueueRemove(RequireQueueName(name)), cancellationToken);

    /// <summary>A queue an operator names must be a name a job could have (pausing one would create it).</summary>
    private static string RequireQueueName(string name) =>
        NameRules.Check(name, InputLimits.QueueLength) is { } error
            ? throw new RequestRejectedException("queue", error.Message, tooLarge: error.TooLarge)
            : name;

    /// <summary>Removes every job and queue in one write; returns how many jobs went.</summary>
    public ValueTask<int> FlushAsync(CancellationToken cancellationToken = default) =>
        store.FlushAsync(new JobsFlush(), cancellationToken);

    /// <summary>One job, or null.</summary>
    public ValueTask<JobInfo?> GetJobAsync(string id, CancellationToken cancellationToken = default) =>
        store.GetJobAsync(new JobGet(id), cancellationToken);

    /// <summary>A page of jobs, newest first.</summary>
    public ValueTask<JobPage> ListJobsAsync(JobList request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Limit is < 1 or > JobList.MaxLimit)
        {
            throw new RequestRejectedException("limit", $"must be 1–{JobList.MaxLimit}");
        }

        return store.ListJobsAsync(request, cancellationToken);
    }

    /// <summary>Every queue with its counts.</summary>
    public ValueTask<IReadOnlyList<QueueInfo>> ListQueuesAsync(CancellationToken cancellationToken = default) =>
        store.ListQueuesAsync(cancellationToken);

    /// <summary>A page of queues by name.</summary>
    public ValueTask<QueuePage> ListQueuesAsync(QueueList request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Limit is < 1 or > InputLimits.QueuePageMax)
        {
            throw new RequestRejectedException("limit", $"must be 1–{InputLimits.QueuePageMax}");
        }

        return store.ListQueuesAsync(request, cancellationToken);
    }

    /// <summary>Counts, totals and the recent completion rate.</summary>
    public async ValueTask<BrokerStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        var stats = await store.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        return new BrokerStats(stats, throughput.PerSecond());
    }

    /// <summary>
    /// One maintenance pass: promote due jobs, expire leases and, when <paramref name="prune"/>, prune
    /// finished jobs. The loop in <see cref="RunMaintenanceAsync"/> calls it; tests call it directly.
    /// </summary>
    public async ValueTask RunMaintenanceOnceAsync(bool prune = true, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        var max = Options.MaintenanceBatch;
        var promoted = await RepeatAsync(() => store.PromoteAsync(new JobsPromote(max), cancellationToken), max).ConfigureAwait(false);
        var expired = await RepeatAsync(() => store.ExpireLeasesAsync(new LeasesExpire(max), cancellationToken), max).ConfigureAwait(false);
        await FireSchedulesAsync(cancellationToken).ConfigureAwait(false);
        var pruned = prune ? await RepeatAsync(() => store.PruneAsync(new JobsPrune(max), cancellationToken), max).ConfigureAwait(false) : 0;
        if (expired > 0)
        {
            LogLeasesExpired(expired);
        }

        if (promoted + pruned > 0)
        {
            LogMaintenance(promoted, pruned);
        }

        var stats = await store.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        throughput.Record(time.GetTimestamp() * TimeSpan.TicksPerSecond / time.TimestampFrequency, stats.Processed);
        lock (maintenanceLock)
        {
            maintenance = new MaintenanceTotals(
                maintenance.Cycles + 1,
                maintenance.Promoted + promoted,
                maintenance.LeasesExpired + expired,
                maintenance.Pruned + pruned,
                maintenance.WallTime + time.GetElapsedTime(started));
        }
    }

    /// <summary>What maintenance has done since the broker started.</summary>
    public MaintenanceTotals Maintenance
    {
        get
        {
            lock (maintenanceLock)
            {
                return maintenance;
            }
        }
    }

    /// <summary>Runs one maintenance write after another while each comes back full; returns how many jobs they moved in all.</summary>
    private static async ValueTask<int> RepeatAsync(Func<ValueTask<int>> write, int max)
    {
        var total = 0;
        int count;
        do
        {
            count = await write().ConfigureAwait(false);
            total += count;
        }
        while (count >= max);

        return total;
    }

    /// <summary>Runs maintenance every <see cref="BrokerOptions.MaintenanceInterval"/> until cancelled.</summary>
    public async Task RunMaintenanceAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Options.MaintenanceInterval, time);
        var lastPrune = time.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var prune = time.GetElapsedTime(lastPrune) >= Options.PruneInterval;
                try
                {
                    await RunMaintenanceOnceAsync(prune, cancellationToken).ConfigureAwait(false);
                    if (prune)
                    {
                        lastPrune = time.GetTimestamp();
                    }
                }
                catch (StorageUnavailableException ex)
                {
                    LogMaintenanceFailed(ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    /// <summary>Releases waiting fetchers (they return empty).</summary>
    public ValueTask DisposeAsync()
    {
        stopping.Cancel();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Maintenance promoted {Promoted} due jobs and pruned {Pruned} finished jobs")]
    private partial void LogMaintenance(int promoted, int pruned);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Expired} leases expired; their jobs were failed with LeaseExpired (or Timeout past a job's timeout_seconds)")]
    private partial void LogLeasesExpired(int expired);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Released} leases whose fetch answer was not delivered")]
    private partial void LogLeasesReleased(int released);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release undelivered leases (they expire instead): {Reason}")]
    private partial void LogReleaseFailed(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Maintenance could not write: {Reason}")]
    private partial void LogMaintenanceFailed(string reason);
}
