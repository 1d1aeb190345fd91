using System.Text.Json.Serialization;

namespace Conveyor.Contracts.Workers;

/// <summary>Acks and fails in one call (<c>POST /v1/settle</c>), at most 10,000 items in all.</summary>
public sealed record SettleRequest
{
    /// <summary>Jobs that succeeded.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SettleAck>? Ack { get; set; }

    /// <summary>Jobs that failed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SettleFail>? Fail { get; set; }
}
