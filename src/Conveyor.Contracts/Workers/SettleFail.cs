namespace Conveyor.Contracts.Workers;

/// <summary>One fail inside a settle.</summary>
public sealed record SettleFail
{
    /// <summary>The job id.</summary>
    public string? Id { get; init; }

    /// <summary>The lease token.</summary>
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
