namespace Conveyor.Core.Jobs;

/// <summary>Defaults and ranges of job options (SPEC §2); the sizes of what clients send are in <see cref="Inputs.InputLimits"/>.</summary>
public static class JobDefaults
{
    /// <summary>The queue used when none is named.</summary>
    public const string Queue = "default";

    /// <summary>Default priority.</summary>
    public const int Priority = 5;

    /// <summary>Lowest priority.</summary>
    public const int MinPriority = 1;

    /// <summary>Highest priority.</summary>
    public const int MaxPriority = 9;

    /// <summary>Default attempts before dead.</summary>
    public const int MaxAttempts = 25;

    /// <summary>Upper bound on <see cref="JobSpec.MaxAttempts"/>.</summary>
    public const int MaxAttemptsLimit = 10_000;

    /// <summary>Default lease (30 minutes).</summary>
    public const int LeaseSeconds = 1800;

    /// <summary>Upper bound on a lease or heartbeat extension (7 days).</summary>
    public const int MaxLeaseSeconds = 7 * 24 * 3600;

    /// <summary>
    /// What the server adds to a job's <see cref="JobSpec.TimeoutSeconds"/> for its lease: a worker that stops the attempt
    /// at the timeout has this long to report the failure itself before the server fails it.
    /// </summary>
    public const int TimeoutGraceSeconds = 5;

    /// <summary>Longest uniqueness window (one year).</summary>
    public const int MaxUniqueForSeconds = 365 * 24 * 3600;

    /// <summary>Most jobs in one batch enqueue, and items in one settle.</summary>
    public const int MaxBatch = 10_000;

    /// <summary>
    /// The most jobs one maintenance write promotes, expires or prunes (the broker repeats it until fewer come back):
    /// a bounded record, and a bounded pause for the commands queued behind it. Small enough that the write's arrays
    /// (2,048 keys of 24 bytes) stay off the large-object heap, which would take fresh memory for each.
    /// </summary>
    public const int MaintenanceBatch = 2_048;

    /// <summary>Most jobs one fetch may lease.</summary>
    public const int MaxFetch = 1000;

    /// <summary>Longest fetch long-poll.</summary>
    public static readonly TimeSpan MaxFetchWait = TimeSpan.FromSeconds(30);

    /// <summary>The arguments of a job enqueued without any: an empty JSON array.</summary>
    public static readonly ReadOnlyMemory<byte> EmptyArgs = "[]"u8.ToArray();

    /// <summary>An empty meta map.</summary>
    public static readonly IReadOnlyDictionary<string, string> EmptyMeta = new Dictionary<string, string>();
}
