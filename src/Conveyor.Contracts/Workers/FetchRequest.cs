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
}
