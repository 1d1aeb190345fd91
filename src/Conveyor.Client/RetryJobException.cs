namespace Conveyor.Client;

/// <summary>
/// Thrown by a handler (or a middleware) to fail this attempt and run the job again after <see cref="RetryIn"/> instead of
/// its back-off (a rate limit's <c>Retry-After</c>, say). The attempt counts: with none left, the job is dead.
/// </summary>
public sealed class RetryJobException : Exception
{
    /// <summary>Retry after <paramref name="retryIn"/> (zero to one year).</summary>
    public RetryJobException(TimeSpan retryIn, string? message = null, Exception? innerException = null)
        : base(message ?? $"retry in {retryIn}", innerException)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryIn, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(retryIn, TimeSpan.FromDays(365));
        RetryIn = retryIn;
    }

    public RetryJobException()
        : this(TimeSpan.Zero)
    {
    }

    public RetryJobException(string message)
        : this(TimeSpan.Zero, message)
    {
    }

    public RetryJobException(string message, Exception innerException)
        : this(TimeSpan.Zero, message, innerException)
    {
    }

    /// <summary>How long until the job is available again.</summary>
    public TimeSpan RetryIn { get; }
}
