namespace Conveyor.Client;

/// <summary>
/// The enqueue policy of the marked args type, used where <see cref="JobOptions"/> leave a field unset:
/// <c>[JobPolicy(Queue = "mail", MaxAttempts = 5, Backoff = "fixed:30")]</c>. A field left at 0 or null is not set.
/// A policy given with <see cref="ConveyorClientOptions.SetPolicy{TArgs}"/> wins over this one field by field.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class JobPolicyAttribute : Attribute
{
    /// <summary>The queue (wins over <see cref="JobTypeAttribute.Queue"/>).</summary>
    public string? Queue { get; set; }

    /// <summary>1–9, higher first; 0: not set.</summary>
    public int Priority { get; set; }

    /// <summary>Attempts before the job is dead; 0: not set.</summary>
    public int MaxAttempts { get; set; }

    /// <summary><c>exponential</c> or <c>fixed:SECONDS</c>.</summary>
    public string? Backoff { get; set; }

    /// <summary>How long a fetch leases the job, whole seconds; 0: not set.</summary>
    public int LeaseSeconds { get; set; }

    /// <summary>How long an attempt may run before it is cancelled and failed with <c>Timeout</c> (see <see cref="JobPolicy.TimeoutSeconds"/>); 0: not set.</summary>
    public int TimeoutSeconds { get; set; }

    /// <summary>Deduplicate enqueues of the same type and arguments for this many seconds (see <see cref="JobPolicy.UniqueFor"/>); 0: not set.</summary>
    public int UniqueForSeconds { get; set; }

    internal JobPolicy ToPolicy() => new()
    {
        Queue = Queue,
        Priority = Priority > 0 ? Priority : null,
        MaxAttempts = MaxAttempts > 0 ? MaxAttempts : null,
        Backoff = Backoff,
        LeaseSeconds = LeaseSeconds > 0 ? LeaseSeconds : null,
        TimeoutSeconds = TimeoutSeconds > 0 ? TimeoutSeconds : null,
        UniqueFor = UniqueForSeconds > 0 ? TimeSpan.FromSeconds(UniqueForSeconds) : null,
    };
}
