using System.Text.Json.Serialization;

namespace Conveyor.Contracts.Workers;

/// <summary>Report how far the attempt held by <see cref="Token"/> is (<c>POST /v1/jobs/{id}/progress</c>).</summary>
public sealed record ProgressRequest
{
    /// <summary>The lease token the fetch returned.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Token { get; set; }

    /// <summary>0–100 (required).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Percent { get; set; }

    /// <summary>A short text; control characters become spaces and past 1,024 characters it is cut with a marker.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; set; }
}
