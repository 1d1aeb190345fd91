using Conveyor.Contracts.Json;

namespace Conveyor.Contracts.Jobs;

/// <summary>A job as the API shows it (<c>GET /v1/jobs/{id}</c>, listings, fetch results).</summary>
public sealed record JobView
{
    /// <summary>The job id.</summary>
    public required string Id { get; init; }

    /// <summary>The queue.</summary>
    public required string Queue { get; init; }

    /// <summary>The job type.</summary>
    public required string Type { get; init; }

    /// <summary>The arguments, byte for byte as enqueued.</summary>
    public RawJson Args { get; init; } = RawJson.EmptyArray;

    /// <summary>1–9, higher first.</summary>
    public int Priority { get; init; }

    /// <summary><c>scheduled</c>, <c>available</c>, <c>active</c>, <c>retrying</c>, <c>completed</c>, <c>dead</c> or <c>cancelled</c>.</summary>
    public required string State { get; init; }

    /// <summary>How many times the job has been fetched.</summary>
    public int Attempt { get; init; }

    /// <summary>Attempts allowed before dead.</summary>
    public int MaxAttempts { get; init; }

    /// <summary>False when the job is discarded instead of kept as dead once its attempts run out.</summary>
    public bool Dead { get; init; } = true;

    /// <summary>The lease a fetch grants, in seconds.</summary>
    public int LeaseSeconds { get; init; }

    /// <summary>When the job was accepted.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a scheduled or retrying job becomes available.</summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>When the job reached a terminal state.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The uniqueness key, if any.</summary>
    public string? UniqueKey { get; init; }

    /// <summary>Labels.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>String metadata.</summary>
    public IReadOnlyDictionary<string, string> Meta { get; init; } = new Dictionary<string, string>();

    /// <summary><c>exponential</c> or <c>fixed:SECONDS</c>.</summary>
    public string Backoff { get; init; } = "exponential";

    /// <summary>The newest failures (at most 10), oldest first.</summary>
    public IReadOnlyList<FailureView> Failures { get; init; } = [];

    /// <summary>The current lease while active; null otherwise.</summary>
    public LeaseView? Lease { get; init; }
}
