using Conveyor.Core.Cron;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Operations;
using Conveyor.Storage.Embedded.State;
using Conveyor.Storage.Embedded.Writer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conveyor.Storage.Embedded;

/// <summary>
/// The embedded store: all state in memory, every change in a write-ahead log before it is
/// acknowledged, snapshots to bound recovery. One writer loop owns the state; every operation is a
/// command on its channel, so there are no locks on the hot path (docs/storage-format.md).
/// </summary>
public sealed class EmbeddedJobStore : IJobStore
{
    private readonly StoreWriter writer;
    private readonly TimeProvider time;
    private readonly IDisposable directoryLock;
    private int disposed;

    private EmbeddedJobStore(IStorageDevice device, EmbeddedStoreOptions options, JobStoreSettings settings, ILogger logger)
    {
        time = settings.Time;
        directoryLock = device.LockDirectory();
        try
        {
            writer = new StoreWriter(device, options, settings, logger);
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the store in <see cref="EmbeddedStoreOptions.DataDirectory"/> (created if missing), recovering
    /// its state from the newest snapshot and the WAL. Throws if another process holds the directory, or
    /// if the WAL is corrupt before its tail (naming the file and offset).
    /// </summary>
    public static EmbeddedJobStore Open(EmbeddedStoreOptions options, JobStoreSettings settings, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.DataDirectory);
        return Open(options, settings, new FileStorageDevice(options.DataDirectory), loggerFactory);
    }

    /// <summary>Opens the store on any device (tests use the in-memory, fault-injecting one).</summary>
    internal static EmbeddedJobStore Open(EmbeddedStoreOptions options, JobStoreSettings settings, IStorageDevice device, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<EmbeddedJobStore>();
        return new EmbeddedJobStore(device, options, settings, logger);
    }

    /// <inheritdoc />
    public StorageUnavailableException? Failure => writer.Failure;

    /// <summary>Takes a snapshot now and deletes the WAL segments it covers; false if it could not be written.</summary>
    public async ValueTask<bool> SnapshotAsync(CancellationToken cancellationToken = default) =>
        await writer.SnapshotAsync().WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask<EnqueueResult> EnqueueAsync(JobEnqueue request, CancellationToken cancellationToken = default) =>
        Run(new EnqueueOperation(request), cancellationToken);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JobInfo>> FetchAsync(JobFetch request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var command = new FetchOperation(request);
        var leased = writer.Submit(command);
        var waits = request.Wait > TimeSpan.Zero;
        if (!waits && !cancellationToken.CanBeCanceled)
        {
            return await leased.ConfigureAwait(false);
        }

        try
        {
            return await (waits ? leased.WaitAsync(request.Wait, time, cancellationToken) : leased.WaitAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            if (!command.TryAbandon())
            {
                // The writer took the fetch first: its leases are granted, so they go to this caller.
                return await leased.ConfigureAwait(false);
            }

            if (ex is TimeoutException)
            {
                return [];
            }

            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask<int> ReleaseAsync(LeasesRelease request, CancellationToken cancellationToken = default) =>
        Run(new ReleaseOperation(request), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SettleResult>> SettleAsync(JobSettle request, CancellationToken cancellationToken = default) =>
        Run(new SettleOperation(request), cancellationToken);

    /// <inheritdoc />
    public ValueTask<HeartbeatResult> HeartbeatAsync(JobHeartbeat request, CancellationToken cancellationToken = default) =>
        Run(new HeartbeatOperation(request), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<LostLease>> CheckLeasesAsync(LeasesCheck request, CancellationToken cancellationToken = default) =>
        Run(new LeasesCheckOperation(request), cancellationToken);

    /// <inheritdoc />
    public ValueTask<SettleStatus> ReportProgressAsync(JobProgressReport request, CancellationToken cancellationToken = default) =>
        Run(new ProgressOperation(request), cancellationToken);

    /// <inheritdoc />
    public async ValueTask<JobInfo?> WaitForFinishAsync(JobWait request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Timeout <= TimeSpan.Zero)
        {
            return await GetJobAsync(new JobGet(request.Id), cancellationToken).ConfigureAwait(false);
        }

        var command = new WaitForFinishOperation(request);
        try
        {
            return await writer.Submit(command).WaitAsync(request.Timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            command.Abandon();
            return await GetJobAsync(new JobGet(request.Id), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            command.Abandon();
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask<CommandResult> CancelAsync(JobCancel request, CancellationToken cancellationToken = default) =>
        Run(new JobByIdOperation(request.Id, JobOperation.Cancel), cancellationToken);

    /// <inheritdoc />
    public ValueTask<CommandResult> RetryAsync(JobRetry request, CancellationToken cancellationToken = default) =>
        Run(new JobByIdOperation(request.Id, JobOperation.Retry), cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> KillAsync(JobsKill request, CancellationToken cancellationToken = default) =>
        Run(new JobsMutateOperation(request.Ids, JobOperation.Kill), cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> DiscardAsync(JobsDiscard request, CancellationToken cancellationToken = default) =>
        Run(new JobsMutateOperation(request.Ids, JobOperation.Discard), cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> RequeueAsync(JobsRequeue request, CancellationToken cancellationToken = default) =>
        Run(new JobsMutateOperation(request.Ids, JobOperation.Requeue), cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> PromoteAsync(JobsPromote request, CancellationToken cancellationToken = default) =>
        Run(new MaintenanceOperation(JobOperation.Promote, request.Max), cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> ExpireLeasesAsync(LeasesExpire request, CancellationToken cancellationToken = default) =>
        Run(new MaintenanceOperation(JobOperation.ExpireLease, request.Max), cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> PruneAsync(JobsPrune request, CancellationToken cancellationToken = default) =>
        Run(new MaintenanceOperation(JobOperation.Prune, request.Max), cancellationToken);

    /// <inheritdoc />
    public async ValueTask QueuePauseAsync(QueuePause request, CancellationToken cancellationToken = default) =>
        await Run(new QueueOperation(request.Name, QueueAction.Pause), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask QueueResumeAsync(QueueResume request, CancellationToken cancellationToken = default) =>
        await Run(new QueueOperation(request.Name, QueueAction.Resume), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask<int> QueuePurgeAsync(QueuePurge request, CancellationToken cancellationToken = default) =>
        Run(new QueueOperation(request.Name, QueueAction.Purge), cancellationToken);

    /// <inheritdoc />
    public ValueTask<QueueRemoveStatus> QueueRemoveAsync(QueueRemove request, CancellationToken cancellationToken = default) =>
        Run(new QueueRemoveOperation(request.Name), cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> FlushAsync(JobsFlush request, CancellationToken cancellationToken = default) =>
        Run(new FlushOperation(), cancellationToken);

    /// <inheritdoc />
    public ValueTask<JobInfo?> GetJobAsync(JobGet request, CancellationToken cancellationToken = default) =>
        Run(new ReadOperation<JobInfo?>(t => t.Find(request.Id) is { } job ? JobViews.ToInfo(job) : null), cancellationToken);

    /// <inheritdoc />
    public ValueTask<JobPage> ListJobsAsync(JobList request, CancellationToken cancellationToken = default) =>
        Run(new ReadOperation<JobPage>(t => JobViews.List(t, request)), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<QueueInfo>> ListQueuesAsync(CancellationToken cancellationToken = default) =>
        Run(new ReadOperation<IReadOnlyList<QueueInfo>>(JobViews.ListQueues), cancellationToken);

    /// <inheritdoc />
    public ValueTask<QueuePage> ListQueuesAsync(QueueList request, CancellationToken cancellationToken = default) =>
        Run(new ReadOperation<QueuePage>(t => JobViews.ListQueues(t, request)), cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoreStats> GetStatsAsync(CancellationToken cancellationToken = default) =>
        Run(new StatsOperation(), cancellationToken);

    /// <inheritdoc />
    public ValueTask<CronScheduleInfo> CronSaveAsync(CronSave request, CancellationToken cancellationToken = default) =>
        Run(new CronSaveOperation(request.Schedule), cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> CronDeleteAsync(CronDelete request, CancellationToken cancellationToken = default) =>
        Run(new CronDeleteOperation(request.Name), cancellationToken);

    /// <inheritdoc />
    public ValueTask<CronScheduleInfo?> CronGetAsync(CronGet request, CancellationToken cancellationToken = default) =>
        Run(new ReadOperation<CronScheduleInfo?>(t => t.Cron.Find(request.Name)?.ToInfo()), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CronScheduleInfo>> CronListAsync(CancellationToken cancellationToken = default) =>
        Run(new ReadOperation<IReadOnlyList<CronScheduleInfo>>(t => [.. t.Cron.All.Select(e => e.ToInfo())]), cancellationToken);

    /// <inheritdoc />
    public ValueTask<CronScheduleInfo?> CronPauseAsync(CronPause request, CancellationToken cancellationToken = default) =>
        Run(new CronPauseOperation(request.Name, request.Paused), cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> CronFireDueAsync(CronFireDue request, CancellationToken cancellationToken = default) =>
        Run(new CronFireOperation(request.Max), cancellationToken);

    /// <summary>Finishes queued writes, snapshots (unless disabled), and releases the data directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await writer.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            directoryLock.Dispose();
        }
    }

    /// <summary>Runs any operation on the writer loop (tests inject faulty ones through it).</summary>
    internal Task<T> Submit<T>(StoreOperation<T> command) => writer.Submit(command);

    /// <summary>
    /// Submits a command. Cancellation stops the caller's wait only: a write already queued still happens
    /// (it cannot be taken back once the writer may have logged it).
    /// </summary>
    private ValueTask<T> Run<T>(StoreOperation<T> command, CancellationToken cancellationToken)
    {
        var task = writer.Submit(command);
        return cancellationToken.CanBeCanceled ? new ValueTask<T>(task.WaitAsync(cancellationToken)) : new ValueTask<T>(task);
    }
}
