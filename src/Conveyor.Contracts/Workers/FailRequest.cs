using System.Text.Json.Serialization;

namespace Conveyor.Contracts.Workers;

/// <summary>Failure of the attempt held by <see cref="Token"/> (<c>POST /v1/jobs/{id}/fail</c>).</summary>
public sealed record FailRequest
{
    /// <summary>The lease token the fetch returned.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Token { get; set; }

    /// <summary>The worker's error class.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ErrorType { get; set; }

    /// <summary>The worker's message.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; set; }

    /// <summary>Stack frames.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Backtrace { get; set; }

    /// <summary>Retry after this many milliseconds instead of the job's back-off.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? RetryInMs { get; set; }

    /// <summary><c>false</c>: no further attempts; the job ends as when its attempts run out (dead). Default true.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Retry { get; set; }
}
