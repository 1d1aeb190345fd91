namespace Conveyor.Contracts.Workers;

/// <summary>One fail inside a settle.</summary>
public sealed record SettleFail
{
    /// <summary>The job id.</summary>
    public string? Id { get; set; }

    /// <summary>The lease token.</summary>
    public string? Token { get; set; }

    /// <summary>The worker's error class.</summary>
    public string? ErrorType { get; set; }

    /// <summary>The worker's message.</summary>
    public string? Message { get; set; }

    /// <summary>Stack frames.</summary>
    public IReadOnlyList<string>? Backtrace { get; set; }

    /// <summary>Retry after this many milliseconds instead of the job's back-off.</summary>
    public long? RetryInMs { get; set; }
}
