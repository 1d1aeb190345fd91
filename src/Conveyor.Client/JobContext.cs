using Conveyor.Client.Worker;
using Conveyor.Contracts.Jobs;

namespace Conveyor.Client;

/// <summary>What a handler knows about the job it runs, and the way to extend the job's lease.</summary>
public sealed class JobContext
{
    private readonly IWorkerTransport api;
    private readonly string token;
    private long leaseExpiresAtTicks;

    internal JobContext(JobView job, IWorkerTransport api, CancellationToken workerStopping)
    {
        this.api = api;
        token = job.Lease?.Token ?? throw new InvalidOperationException($"the server sent job {job.Id} without a lease");
        leaseExpiresAtTicks = job.Lease.ExpiresAt.UtcTicks;
        Id = job.Id;
        Type = job.Type;
        Queue = job.Queue;
        Attempt = job.Attempt;
        MaxAttempts = job.MaxAttempts;
        LeaseSeconds = job.LeaseSeconds;
        Meta = job.Meta;
        Tags = job.Tags;
        WorkerStopping = workerStopping;
    }

    /// <summary>The job id.</summary>
    public string Id { get; }

    /// <summary>The job type.</summary>
    public string Type { get; }

    /// <summary>The queue the job came from.</summary>
    public string Queue { get; }

    /// <summary>This attempt, from 1.</summary>
    public int Attempt { get; }

    /// <summary>Attempts allowed before the job is dead.</summary>
    public int MaxAttempts { get; }

    /// <summary>The length of a lease (and of each automatic extension), in seconds.</summary>
    public int LeaseSeconds { get; }

    /// <summary>The job's metadata (including <c>traceparent</c> when the enqueuer was traced).</summary>
    public IReadOnlyDictionary<string, string> Meta { get; }

    /// <summary>The job's tags.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>When the lease ends unless it is extended (heartbeats move it).</summary>
    public DateTimeOffset LeaseExpiresAt => new(Interlocked.Read(ref leaseExpiresAtTicks), TimeSpan.Zero);

    /// <summary>Cancelled as soon as the worker begins to shut down, before the grace ends; handlers of long jobs may stop early.</summary>
    public CancellationToken WorkerStopping { get; }

    /// <summary>
    /// The attempt's token, the one the handler is given: cancelled when the job is cancelled or its lease lost (within
    /// <see cref="ConveyorWorkerOptions.CancellationCheckInterval"/>), at the attempt's timeout, and at the end of the shutdown grace.
    /// </summary>
    public CancellationToken CancellationToken { get; internal set; }

    internal string Token => token;

    /// <summary>The attempt's result as raw JSON, set by a handler that returns one (<see cref="IJobHandler{TArgs, TResult}"/>); sent with the ack.</summary>
    internal byte[]? Result { get; set; }

    /// <summary>
    /// Records how far the job is: <paramref name="percent"/> 0–100 and an optional short <paramref name="message"/> (control
    /// characters become spaces; past 1,024 characters it is cut). Producers see it in the job (<c>progress</c>); a new attempt
    /// starts without. Throws a <see cref="ConveyorApiException"/> with <c>IsStaleLease</c> when the lease was lost.
    /// </summary>
    public Task ReportProgressAsync(int percent, string? message = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        return api.ProgressAsync(Id, token, percent, message, cancellationToken);
    }

    /// <summary>
    /// Extends the lease to <paramref name="extendBy"/> from now (default: <see cref="LeaseSeconds"/>). The worker does this
    /// by itself when heartbeats are on. Throws a <see cref="ConveyorApiException"/> with <c>IsStaleLease</c> when the lease
    /// was already lost.
    /// </summary>
    public async Task ExtendLeaseAsync(TimeSpan? extendBy = null, CancellationToken cancellationToken = default)
    {
        int? seconds = extendBy is { } by ? Math.Max(1, (int)Math.Ceiling(by.TotalSeconds)) : null;
        var expiresAt = await api.HeartbeatAsync(Id, token, seconds, cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref leaseExpiresAtTicks, expiresAt.UtcTicks);
    }
}
