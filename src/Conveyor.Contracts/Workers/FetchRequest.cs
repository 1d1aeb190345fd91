using System.Text.Json.Serialization;

namespace Conveyor.Contracts.Workers;

/// <summary>Lease jobs (<c>POST /v1/fetch</c>), long-polling up to <see cref="WaitMs"/> when none is available.</summary>
public sealed record FetchRequest
{
    /// <summary>Queues to take from, in order of preference.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Queues { get; set; }

    /// <summary>Most jobs to lease, 1–1000 (default 1).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Max { get; set; }

    /// <summary>How long to wait for a job when none is available, 0–30000 ms (default 0).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? WaitMs { get; set; }

    /// <summary>Who is fetching, recorded on the lease.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? WorkerId { get; set; }

    /// <summary>
    /// True: each job of the answer leaves out the members at their defaults (<c>state</c> when active,
    /// <c>priority</c> 5, <c>max_attempts</c> 25, <c>lease_seconds</c> 1800, <c>backoff</c>
    /// exponential, null <c>run_at</c>, <c>finished_at</c>, <c>unique_key</c> and <c>lease.worker_id</c>, empty
    /// <c>tags</c>, <c>meta</c> and <c>failures</c>): less to write, send and parse per job. <see cref="Jobs.JobView"/>
    /// starts at those values, so it reads the same either way. Default false: every member.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? OmitDefaults { get; set; }
}
