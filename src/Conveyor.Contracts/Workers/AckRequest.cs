using System.Text.Json.Serialization;
using Conveyor.Contracts.Json;

namespace Conveyor.Contracts.Workers;

/// <summary>Success of the attempt held by <see cref="Token"/> (<c>POST /v1/jobs/{id}/ack</c>).</summary>
public sealed record AckRequest
{
    /// <summary>The lease token the fetch returned.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Token { get; set; }

    /// <summary>The job's result: any JSON value up to 64 KiB, kept with the completed job; null or left out for none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RawJson? Result { get; set; }
}
