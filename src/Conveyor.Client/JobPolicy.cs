namespace Conveyor.Client;

/// <summary>
/// The defaults a typed enqueue of one args type uses where its <see cref="JobOptions"/> leave a field unset: give it with
/// <see cref="JobPolicyAttribute"/> on the type, or <see cref="ConveyorClientOptions.SetPolicy{TArgs}"/> (which wins field by field).
/// </summary>
public sealed record JobPolicy
{
    /// <summary>The queue.</summary>
    public string? Queue { get; init; }

    /// <summary>1–9, higher first.</summary>
    public int? Priority { get; init; }

    /// <summary>Attempts before the job is dead.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary><c>exponential</c> or <c>fixed:SECONDS</c>.</summary>
    public string? Backoff { get; init; }

    /// <summary>How long a fetch leases the job, whole seconds.</summary>
    public int? LeaseSeconds { get; init; }

    /// <summary>
    /// How long an attempt may run, whole seconds: the worker then cancels the handler's token and fails the attempt with
    /// <c>Timeout</c> (retried per the job's policy). Sent as the job's <c>timeout_seconds</c>; a worker also applies it to
    /// jobs of this type enqueued without one.
    /// </summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>
    /// While an unfinished job with the same type and arguments was enqueued within this window, enqueues return it:
    /// the unique key is derived from the type and the serialized arguments unless <see cref="JobOptions.UniqueKey"/> is given.
    /// </summary>
    public TimeSpan? UniqueFor { get; init; }

    /// <summary>This policy's fields, each replaced by <paramref name="other"/>'s where that one is set.</summary>
    internal JobPolicy Overlay(JobPolicy? other) => other is null ? this : new()
    {
        Queue = other.Queue ?? Queue,
        Priority = other.Priority ?? Priority,
        MaxAttempts = other.MaxAttempts ?? MaxAttempts,
        Backoff = other.Backoff ?? Backoff,
        LeaseSeconds = other.LeaseSeconds ?? LeaseSeconds,
        TimeoutSeconds = other.TimeoutSeconds ?? TimeoutSeconds,
        UniqueFor = other.UniqueFor ?? UniqueFor,
    };
}
