using System.Text.Json.Serialization;

namespace Conveyor.Contracts.Workers;

/// <summary>One lease inside a <see cref="LeaseCheckRequest"/>.</summary>
public sealed record LeaseCheckItem
{
    /// <summary>The job id.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; set; }

    /// <summary>The lease token.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Token { get; set; }
}
