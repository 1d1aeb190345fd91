using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Conveyor.Storage.Embedded;

/// <summary>PLACEHOLDER: the API of the embedded store, being implemented.</summary>
public sealed class EmbeddedJobStore : IJobStore
{
    private EmbeddedJobStore()
    {
    }

    /// <inheritdoc />
    public event Action<IReadOnlyCollection<string>>? JobsAvailable;

    /// <summary>Opens (recovering) the store in <see cref="EmbeddedStoreOptions.DataDirectory"/>.</summary>
    public static EmbeddedJobStore Open(EmbeddedStoreOptions options, JobStoreSettings settings, ILoggerFactory? loggerFactory = null) =>
        throw new NotImplementedException();

    /// <summary>Takes a snapshot now and deletes the WAL segments it covers.</summary>
    public ValueTask SnapshotAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask<EnqueueResult> EnqueueAsync(JobEnqueue request, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JobInfo>> FetchAsync(JobFetch request, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SettleResult>> SettleAsync(JobSettle request, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask<HeartbeatResult> HeartbeatAsync(JobHeartbeat request, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask<CommandResult> CancelAsync(JobCancel request, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask<CommandResult> RetryAsync(JobRetry request, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask<int> PromoteAsync(JobsPromote request, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask<int> ExpireLeasesAsync(LeasesExpire request, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask<int> PruneAsync(JobsPrune request, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask QueuePauseAsync(QueuePause request, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask QueueResumeAsync(QueueResume request, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask<int> QueuePurgeAsync(QueuePurge request, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask<JobInfo?> GetJobAsync(JobGet request, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask<JobPage> ListJobsAsync(JobList request, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<QueueInfo>> ListQueuesAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask<StoreStats> GetStatsAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        JobsAvailable?.Invoke([]);
        return ValueTask.CompletedTask;
    }
}
