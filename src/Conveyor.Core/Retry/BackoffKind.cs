namespace Conveyor.Core.Retry;

/// <summary>How the delay before a retry grows. Persisted: never renumber.</summary>
public enum BackoffKind : byte
{
    /// <summary>Sidekiq/Faktory schedule: n^4 + 15 + random(0..29) * (n + 1) seconds.</summary>
    Exponential = 0,

    /// <summary>The same delay after every failure.</summary>
    Fixed = 1,
}
