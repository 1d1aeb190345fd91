using System.Globalization;
using Conveyor.Core.Storage;

namespace Conveyor.Core.Inputs;

/// <summary>
/// Keeps a failure's text within <see cref="InputLimits"/> by cutting it with a marker, never by refusing it: a worker
/// must always be able to fail its job, whatever its exception looked like.
/// </summary>
public static class FailureText
{
    /// <summary>
    /// <paramref name="fail"/> with its error type, message and backtrace cut to the limits (the same instance when
    /// nothing is over).
    /// </summary>
    public static JobFail Bound(JobFail fail)
    {
        ArgumentNullException.ThrowIfNull(fail);
        var errorType = Cut(fail.ErrorType, InputLimits.ErrorTypeLength);
        var message = Cut(fail.Message, InputLimits.MessageLength);
        var backtrace = Cut(fail.Backtrace);
        return ReferenceEquals(errorType, fail.ErrorType) && ReferenceEquals(message, fail.Message) && ReferenceEquals(backtrace, fail.Backtrace)
            ? fail
            : fail with { ErrorType = errorType, Message = message, Backtrace = backtrace };
    }

    /// <summary>
    /// The first <paramref name="max"/> characters of <paramref name="text"/> and a marker saying how many were cut
    /// (<c>… [truncated 12345 chars]</c>); the text itself when it fits.
    /// </summary>
    public static string Cut(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= max)
        {
            return text;
        }

        // Never split a surrogate pair: the kept part stays valid UTF-16.
        var keep = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, keep)}… [truncated {text.Length - keep} chars]");
    }

    /// <summary>
    /// The first <see cref="InputLimits.BacktraceLines"/> lines, each cut to <see cref="InputLimits.BacktraceLineLength"/>,
    /// and a last line saying how many lines were dropped; the list itself when it fits.
    /// </summary>
    public static IReadOnlyList<string> Cut(IReadOnlyList<string> backtrace)
    {
        ArgumentNullException.ThrowIfNull(backtrace);
        var fits = backtrace.Count <= InputLimits.BacktraceLines;
        for (var i = 0; fits && i < backtrace.Count; i++)
        {
            fits = backtrace[i] is { Length: <= InputLimits.BacktraceLineLength };
        }

        if (fits)
        {
            return backtrace;
        }

        var kept = Math.Min(backtrace.Count, InputLimits.BacktraceLines);
        var lines = new List<string>(kept + 1);
        for (var i = 0; i < kept; i++)
        {
            lines.Add(Cut(backtrace[i] ?? string.Empty, InputLimits.BacktraceLineLength));
        }

        if (backtrace.Count > kept)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"… [truncated {backtrace.Count - kept} lines]"));
        }

        return lines;
    }
}
