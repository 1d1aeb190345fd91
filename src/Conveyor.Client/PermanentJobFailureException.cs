namespace Conveyor.Client;

/// <summary>
/// Thrown by a handler (or a middleware) to fail its job for good: the attempts left are skipped and the job goes
/// straight to <c>dead</c>, as Sidekiq's <c>retry: false</c> or Oban's <c>discard</c>. The failure is recorded with this
/// type and message; a cause given as the inner exception adds its type, message and frames to the backtrace.
/// </summary>
public sealed class PermanentJobFailureException : Exception
{
    /// <summary>A permanent failure for <paramref name="message"/>.</summary>
    public PermanentJobFailureException(string message)
        : base(message)
    {
    }

    /// <summary>A permanent failure caused by <paramref name="innerException"/>.</summary>
    public PermanentJobFailureException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public PermanentJobFailureException()
        : base("the job failed permanently")
    {
    }
}
