using System.Text.Json.Serialization;
using Conveyor.Contracts.Json;

namespace Conveyor.Contracts.Jobs;

/// <summary>A job as a producer sends it (<c>POST /v1/jobs</c>, and each item of a batch). Only <see cref="Type"/> is required.</summary>
public sealed record EnqueueRequest
{
    /// <summary>Client-chosen id (≤ 64 characters); enqueueing an existing id returns that job.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; set; }

    /// <summary>The queue (default <c>default</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Queue { get; set; }

    /// <summary>What the worker should run.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; set; }

    /// <summary>Any JSON value, kept byte for byte; <c>[]</c> when omitted.</summary>
    public RawJson Args { get; set; } = RawJson.EmptyArray;

    /// <summary>1–9, higher first (default 5).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Priority { get; set; }

    /// <summary>When the job may first run (RFC 3339). Exclusive with <see cref="DelayMs"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? RunAt { get; set; }

    /// <summary>Milliseconds from now before the job may first run. Exclusive with <see cref="RunAt"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? DelayMs { get; set; }

    /// <summary>Attempts before the job is dead (default 25).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxAttempts { get; set; }

    /// <summary>False: when its attempts run out the job is discarded instead of kept as dead (Sidekiq's <c>dead: false</c>). Default true.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Dead { get; set; }

    /// <summary>How long a fetch leases the job (default 1800).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? LeaseSeconds { get; set; }

    /// <summary>While a job holds this key (see <see cref="UniqueUntil"/>, <see cref="UniqueForSeconds"/>), enqueues return it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UniqueKey { get; set; }

    /// <summary>The most seconds the key is held, counted from when the job is first due; omitted or 0: no bound.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? UniqueForSeconds { get; set; }

    /// <summary>
    /// Which states hold the key: <c>finished</c> (default: until the job finishes), <c>started</c> (until it is first
    /// fetched) or <c>completed</c> (until it succeeds: held through retries and while dead).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UniqueUntil { get; set; }

    /// <summary>True: the unique key is derived from the queue, type and args (exclusive with <see cref="UniqueKey"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? UniqueByArgs { get; set; }

    /// <summary>The longest one attempt may run, in seconds (1–604800); omitted: no limit but the lease.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TimeoutSeconds { get; set; }

    /// <summary>Free-form labels.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Tags { get; set; }

    /// <summary>Free-form string metadata.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Meta { get; set; }

    /// <summary><c>exponential</c> (default) or <c>fixed:SECONDS</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Backoff { get; set; }
}
