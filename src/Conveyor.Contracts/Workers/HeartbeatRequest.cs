using System.Text.Json.Serialization;

namespace Conveyor.Contracts.Workers;

/// <summary>Extend a lease (<c>POST /v1/jobs/{id}/heartbeat</c>).</summary>
public sealed record HeartbeatRequest
{
    /// <summary>The lease token.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Token { get; set; }

    /// <summary>Seconds from now (default: the job's lease length).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ExtendSeconds { get; set; }
}
