using System.Text.Json.Serialization;
using Conveyor.Contracts.Json;

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

    /// <summary>The job's result: any JSON value up to 64 KiB, kept with the completed job; null or left out for none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RawJson? Result { get; set; }
}
