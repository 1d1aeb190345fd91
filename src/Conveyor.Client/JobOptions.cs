namespace Conveyor.Client;

/// <summary>Options of one enqueue; every one is optional and the server's default applies when unset.</summary>
public sealed record JobOptions
{
    /// <summary>A client-chosen id (≤ 64 characters); enqueueing an existing id returns that job instead.</summary>
    public string? Id { get; init; }

    /// <summary>The queue (default: the args type's policy, see <see cref="JobPolicyAttribute"/>, else <c>default</c>).</summary>
    public string? Queue { get; init; }

    /// <summary>1–9, higher first (server default 5).</summary>
    public int? Priority { get; init; }

    /// <summary>When the job may first run. Exclusive with <see cref="Delay"/>.</summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>How long from now before the job may first run. Exclusive with <see cref="RunAt"/>.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Attempts before the job is dead (server default 25).</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>How long a fetch leases the job, whole seconds (server default 1800).</summary>
    public int? LeaseSeconds { get; init; }

    /// <summary>How long an attempt may run, whole seconds, before the worker cancels it and fails it with <c>Timeout</c> (default: the type's policy, else none).</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>While a job with this key is unfinished and within <see cref="UniqueFor"/>, enqueues return it.</summary>
    public string? UniqueKey { get; init; }

    /// <summary>How long <see cref="UniqueKey"/> holds after enqueue (required with it).</summary>
    public TimeSpan? UniqueFor { get; init; }

    /// <summary>Free-form labels.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Free-form string metadata; the client adds <c>traceparent</c>/<c>tracestate</c> of the current activity.</summary>
    public IReadOnlyDictionary<string, string>? Meta { get; init; }

    /// <summary><c>exponential</c> (default) or <c>fixed:SECONDS</c>.</summary>
    public string? Backoff { get; init; }
}
