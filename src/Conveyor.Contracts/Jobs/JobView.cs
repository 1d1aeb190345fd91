using System.Collections.ObjectModel;
using System.Text.Json.Serialization;
using Conveyor.Contracts.Json;

namespace Conveyor.Contracts.Jobs;

/// <summary>A job as the API shows it (<c>GET /v1/jobs/{id}</c>, listings, fetch results).</summary>
/// <remarks>
/// Each member starts at the value a fetch with <c>omit_defaults</c> leaves out (<see cref="Workers.FetchRequest.OmitDefaults"/>),
/// so a view read from a lean answer equals the one read from the full answer.
/// </remarks>
public sealed record JobView
{
    /// <summary>The job id.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The queue.</summary>
    public string Queue { get; set; } = string.Empty;

    /// <summary>The job type.</summary>
    public string Type { get; set; } = string.Empty;

    /// <summary>The arguments, byte for byte as enqueued.</summary>
    public RawJson Args { get; set; } = RawJson.EmptyArray;

    /// <summary>1–9, higher first (default 5).</summary>
    public int Priority { get; set; } = 5;

    /// <summary><c>scheduled</c>, <c>available</c>, <c>active</c>, <c>retrying</c>, <c>completed</c>, <c>dead</c> or <c>cancelled</c>.</summary>
    /// <remarks>Starts as <c>active</c>, the state of every fetched job.</remarks>
    public string State { get; set; } = "active";

    /// <summary>How many times the job has been fetched.</summary>
    public int Attempt { get; set; }

    /// <summary>Attempts allowed before dead (default 25).</summary>
    public int MaxAttempts { get; set; } = 25;

    /// <summary>
    /// False when the job is discarded instead of kept as dead once its attempts run out (the enqueue option
    /// <c>dead</c>, Sidekiq's and Faktory's name for it). On the wire only when false: nearly every job keeps the
    /// default, and <c>"dead": true</c> on each of them read as if the job were dead.
    /// </summary>
    [JsonIgnore]
    public bool Dead { get; set; } = true;

    /// <summary><see cref="Dead"/> as the wire carries it: left out (null) at its default, true; a null read is the default.</summary>
    [JsonInclude]
    [JsonPropertyName("dead")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal bool? DeadOnWire
    {
        get => Dead ? null : false;
        set => Dead = value ?? true;
    }

    /// <summary>The lease a fetch grants, in seconds (default 1800).</summary>
    public int LeaseSeconds { get; set; } = 1800;

    /// <summary>The longest one attempt may run, in seconds; left out when the job has no timeout.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TimeoutSeconds { get; set; }

    /// <summary>When the job was accepted.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When a scheduled or retrying job becomes available.</summary>
    public DateTimeOffset? RunAt { get; set; }

    /// <summary>When the job reached a terminal state.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The uniqueness key, if any.</summary>
    public string? UniqueKey { get; set; }

    /// <summary>Which states hold <see cref="UniqueKey"/>: <c>started</c> or <c>completed</c>; left out (null) for the default, <c>finished</c>, and without a key.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UniqueUntil { get; set; }

    /// <summary>Labels.</summary>
    public IReadOnlyList<string> Tags { get; set; } = [];

    /// <summary>String metadata.</summary>
    public IReadOnlyDictionary<string, string> Meta { get; set; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary><c>exponential</c> or <c>fixed:SECONDS</c>.</summary>
    public string Backoff { get; set; } = "exponential";

    /// <summary>The newest failures (at most 10), oldest first.</summary>
    public IReadOnlyList<FailureView> Failures { get; set; } = [];

    /// <summary>The current lease while active; null otherwise.</summary>
    public LeaseView? Lease { get; set; }

    /// <summary>The progress the current or last attempt reported; left out when none did.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ProgressView? Progress { get; set; }

    /// <summary>The result the completing ack carried (any JSON value, byte for byte); left out when none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RawJson? Result { get; set; }
}
