namespace Conveyor.Contracts.Jobs;

/// <summary>One failed attempt in a job's history.</summary>
public sealed record FailureView(int Attempt, DateTimeOffset At, string ErrorType, string Message, IReadOnlyList<string> Backtrace);
