namespace Conveyor.Contracts.Workers;

/// <summary>Failure of the attempt held by <see cref="Token"/> (<c>POST /v1/jobs/{id}/fail</c>).</summary>
public sealed record FailRequest
{
    /// <summary>The lease token the fetch returned.</summary>
    public string? Token { get; init; }

    /// <summary>The worker's error class.</summary>
    public string? ErrorType { get; init; }

    /// <summary>The worker's message.</summary>
    public string? Message { get; init; }

    /// <summary>Stack frames.</summary>
    public IReadOnlyList<string>? Backtrace { get; init; }

    /// <summary>Retry after this many milliseconds instead of the job's back-off.</summary>
    public long? RetryInMs { get; init; }
}
