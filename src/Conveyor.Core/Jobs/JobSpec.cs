using Conveyor.Core.Retry;

namespace Conveyor.Core.Jobs;

/// <summary>A job as a producer hands it in, after the wire layer has parsed it and resolved defaults.</summary>
/// <remarks>Validate with <see cref="JobSpecValidator"/> before handing it to a store.</remarks>
public sealed record JobSpec
{
    /// <summary>Client-chosen id (≤ 64 chars); null lets the store assign one.</summary>
    public string? Id { get; init; }

    /// <summary>The queue; created on first use.</summary>
    public string Queue { get; init; } = JobDefaults.Queue;

    /// <summary>What the worker should run.</summary>
    public required string Type { get; init; }

    /// <summary>The arguments as raw UTF-8 JSON, kept byte for byte.</summary>
    /// <remarks>
    /// A store may keep the array behind these bytes instead of copying it when they span all of it, so the
    /// caller hands the bytes over: it must not change them after enqueueing.
    /// </remarks>
    public ReadOnlyMemory<byte> Args { get; init; } = JobDefaults.EmptyArgs;

    /// <summary>1–9, higher first.</summary>
    public int Priority { get; init; } = JobDefaults.Priority;

    /// <summary>When the job may first run; null or past means now.</summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>How many times the job may run before it is dead.</summary>
    public int MaxAttempts { get; init; } = JobDefaults.MaxAttempts;

    /// <summary>
    /// True (the default) keeps the job as dead when its attempts run out; false: when its attempts run out
    /// the job is discarded instead of kept as dead (Sidekiq's <c>dead: false</c>).
    /// </summary>
    public bool Dead { get; init; } = true;

    /// <summary>How long a fetch leases the job.</summary>
    public int LeaseSeconds { get; init; } = JobDefaults.LeaseSeconds;

    /// <summary>
    /// While a job holds this key (per <see cref="UniqueMode"/>, within <see cref="UniqueForSeconds"/>), enqueues with the same
    /// key return it instead of making a job. <see cref="UniqueKeys.ByArgs"/> derives one from the job.
    /// </summary>
    public string? UniqueKey { get; init; }

    /// <summary>
    /// How long the key can be held at most, counted from when the job is first due (its <see cref="RunAt"/>, or enqueue);
    /// 0: no bound, the key is held for as long as <see cref="UniqueMode"/> says.
    /// </summary>
    public int UniqueForSeconds { get; init; }

    /// <summary>Which states hold <see cref="UniqueKey"/>.</summary>
    public UniqueMode UniqueMode { get; init; }

    /// <summary>
    /// The longest one attempt may run, in seconds; null: no limit but the lease. A fetch leases the job for no longer
    /// than this plus <see cref="JobDefaults.TimeoutGraceSeconds"/>, heartbeats do not extend past that, and an attempt still
    /// running then fails with <see cref="JobFailure.TimeoutType"/>.
    /// </summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Free-form labels.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Free-form string metadata (trace context, Faktory's <c>custom</c>, ...).</summary>
    public IReadOnlyDictionary<string, string> Meta { get; init; } = JobDefaults.EmptyMeta;

    /// <summary>The retry back-off.</summary>
    public Backoff Backoff { get; init; } = Backoff.Exponential;
}
