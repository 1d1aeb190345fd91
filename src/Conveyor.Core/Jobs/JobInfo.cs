using Conveyor.Core.Retry;

namespace Conveyor.Core.Jobs;

/// <summary>A read-only view of a job as a store reports it.</summary>
public sealed record JobInfo
{
    /// <summary>The job id as the store holds it: a server-assigned id as its value, written out only where needed.</summary>
    public required JobKey Key { get; init; }

    /// <summary>The job id (made from <see cref="Key"/> on each call for a server-assigned one).</summary>
    public string Id => Key.ToString();

    /// <summary>The queue.</summary>
    public required string Queue { get; init; }

    /// <summary>The job type.</summary>
    public required string Type { get; init; }

    /// <summary>Raw UTF-8 JSON arguments.</summary>
    public required ReadOnlyMemory<byte> Args { get; init; }

    /// <summary>1–9, higher first.</summary>
    public required int Priority { get; init; }

    /// <summary>The current state.</summary>
    public required JobState State { get; init; }

    /// <summary>How many times the job has been fetched (the current or last attempt number).</summary>
    public required int Attempt { get; init; }

    /// <summary>Attempts allowed before dead.</summary>
    public required int MaxAttempts { get; init; }

    /// <summary>False when the job is discarded instead of kept as dead once its attempts run out (Sidekiq's <c>dead: false</c>).</summary>
    public bool Dead { get; init; } = true;

    /// <summary>The lease length a fetch grants.</summary>
    public required int LeaseSeconds { get; init; }

    /// <summary>When the job was accepted.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a scheduled or retrying job becomes available; null otherwise.</summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>When the job reached a terminal state.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The uniqueness key, if any.</summary>
    public string? UniqueKey { get; init; }

    /// <summary>Which states hold <see cref="UniqueKey"/>.</summary>
    public UniqueMode UniqueMode { get; init; }

    /// <summary>The longest one attempt may run, in seconds; null for no limit but the lease.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Labels.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>String metadata.</summary>
    public IReadOnlyDictionary<string, string> Meta { get; init; } = JobDefaults.EmptyMeta;

    /// <summary>The retry back-off.</summary>
    public Backoff Backoff { get; init; } = Backoff.Exponential;

    /// <summary>The newest failures, oldest first, at most <see cref="JobFailure.HistoryLimit"/>.</summary>
    public IReadOnlyList<JobFailure> Failures { get; init; } = [];

    /// <summary>The current lease while active.</summary>
    public JobLease? Lease { get; init; }

    /// <summary>The progress the current (or last) attempt reported; null when none did.</summary>
    public JobProgress? Progress { get; init; }

    /// <summary>The raw UTF-8 JSON value the worker's ack carried (<see cref="Storage.JobAck.Result"/>); null when none.</summary>
    public ReadOnlyMemory<byte>? Result { get; init; }
}
