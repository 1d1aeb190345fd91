namespace Conveyor.Client.Worker;

/// <summary>Why an attempt failed, as the server records it.</summary>
internal sealed record Failure(string ErrorType, string Message, IReadOnlyList<string> Backtrace, long? RetryInMs = null, bool Retry = true)
{
    /// <summary>The error type of an attempt cut short by shutdown; redelivered at once.</summary>
    public const string ShutdownType = "Shutdown";

    /// <summary>The error type of a job no handler is registered for.</summary>
    public const string UnknownJobType = "UnknownJobType";

    /// <summary>The error type of an attempt that ran past its timeout; retried with the job's back-off.</summary>
    public const string TimeoutType = "Timeout";

    public static Failure Timeout(TimeSpan limit) =>
        new(TimeoutType, $"the attempt ran past its timeout of {limit.TotalSeconds:0.###} s and was cancelled", []);

    public static Failure Shutdown(string workerId) =>
        new(ShutdownType, $"worker {workerId} shut down before the job finished", [], RetryInMs: 0);

    /// <summary>
    /// The exception's full type name, message and stack frames, inner exceptions' frames appended after a marker line;
    /// a <see cref="PermanentJobFailureException"/> asks for no retry, a <see cref="RetryJobException"/> for its delay.
    /// </summary>
    public static Failure FromException(Exception exception)
    {
        var frames = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (!ReferenceEquals(e, exception))
            {
                frames.Add($"--- inner {e.GetType().FullName}: {e.Message}");
            }

            if (e.StackTrace is { } trace)
            {
                frames.AddRange(trace.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
        }

        return new Failure(
            exception.GetType().FullName ?? exception.GetType().Name,
            exception.Message,
            frames,
            exception is RetryJobException retry ? (long)retry.RetryIn.TotalMilliseconds : null,
            exception is not PermanentJobFailureException);
    }
}
