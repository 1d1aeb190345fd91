using System.Text.Json.Serialization;

namespace Conveyor.Contracts.Queues;

/// <summary>A queue and its counts (<c>GET /v1/queues</c>).</summary>
public sealed record QueueView(string Name, int Available, int Scheduled, int Retrying, int Active, bool Paused)
{
    /// <summary>When the oldest available job became available (its latency's start); absent when none is available.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? OldestAvailableAt { get; init; }

    /// <summary>
    /// Where the store stops counting (the PostgreSQL store; docs/postgres.md, "Counts without scanning"): a count equal
    /// to it means at least that many. Absent when every count is exact.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? CountCap { get; init; }
}
