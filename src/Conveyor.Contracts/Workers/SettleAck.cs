using System.Text.Json.Serialization;

namespace Conveyor.Contracts.Workers;

/// <summary>One ack inside a settle.</summary>
public sealed record SettleAck
{
    /// <summary>The job id.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; set; }

    /// <summary>The lease token.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Token { get; set; }
}
