using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Conveyor.Core.Retry;

/// <summary>A job's retry back-off: <c>exponential</c> (default) or <c>fixed:SECONDS</c>.</summary>
public readonly record struct Backoff(BackoffKind Kind, int FixedSeconds)
{
    /// <summary>The largest fixed delay accepted (one year).</summary>
    public const int MaxFixedSeconds = 365 * 24 * 3600;

    /// <summary>The default, Sidekiq-compatible exponential schedule.</summary>
    public static Backoff Exponential { get; } = new(BackoffKind.Exponential, 0);

    /// <summary>A constant delay.</summary>
    public static Backoff Fixed(int seconds) => new(BackoffKind.Fixed, seconds);

    /// <summary>
    /// The delay after the failure numbered <paramref name="failureIndex"/> (0 for the first failure).
    /// <paramref name="jitter"/> is a number in 0..29, drawn by the caller so that tests can fix it.
    /// </summary>
    public TimeSpan DelayAfter(int failureIndex, int jitter)
    {
        if (Kind == BackoffKind.Fixed)
        {
            return TimeSpan.FromSeconds(FixedSeconds);
        }

        long n = Math.Max(0, failureIndex);
        var seconds = (n * n * n * n) + 15 + (jitter * (n + 1));
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The wire form: <c>exponential</c> or <c>fixed:SECONDS</c>.</summary>
    public override string ToString() =>
        Kind == BackoffKind.Fixed ? string.Create(CultureInfo.InvariantCulture, $"fixed:{FixedSeconds}") : "exponential";

    /// <summary>Parses the wire form; null or empty means the default.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Backoff? backoff)
    {
        backoff = null;
        if (string.IsNullOrEmpty(text) || text.Equals("exponential", StringComparison.OrdinalIgnoreCase))
        {
            backoff = Exponential;
            return true;
        }

        const string prefix = "fixed:";
        if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && int.TryParse(text.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds is >= 0 and <= MaxFixedSeconds)
        {
            backoff = Fixed(seconds);
            return true;
        }

        return false;
    }
}
