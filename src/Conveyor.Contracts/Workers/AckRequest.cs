using System.Text.Json.Serialization;

namespace Conveyor.Contracts.Workers;

/// <summary>Success of the attempt held by <see cref="Token"/> (<c>POST /v1/jobs/{id}/ack</c>).</summary>
public sealed record AckRequest
{
    /// <summary>The lease token the fetch returned.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Token { get; set; }
}
