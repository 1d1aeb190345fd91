namespace Conveyor.Core.Jobs;

/// <summary>One failed attempt, as kept in a job's failure history.</summary>
/// <param name="Attempt">The attempt that failed (1-based).</param>
/// <param name="At">When the failure was recorded.</param>
/// <param name="ErrorType">The worker's error class, <c>LeaseExpired</c> or <c>Timeout</c>.</param>
/// <param name="Message">The worker's message.</param>
/// <param name="Backtrace">Stack frames, outermost last, as the worker sent them.</param>
public sealed record JobFailure(int Attempt, DateTimeOffset At, string ErrorType, string Message, IReadOnlyList<string> Backtrace)
{
    /// <summary>How many failures a job keeps (the newest).</summary>
    public const int HistoryLimit = 10;

    /// <summary>The error type recorded when a lease runs out.</summary>
    public const string LeaseExpiredType = "LeaseExpired";

    /// <summary>The error type recorded when an attempt runs past the job's <see cref="JobSpec.TimeoutSeconds"/>.</summary>
    public const string TimeoutType = "Timeout";
}
