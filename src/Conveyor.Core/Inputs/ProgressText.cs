namespace Conveyor.Core.Inputs;

/// <summary>
/// Keeps a progress message printable and within <see cref="InputLimits.ProgressMessageLength"/>: control characters become
/// spaces and a longer text is cut with a marker, as a failure's is (<see cref="FailureText"/>), never refused.
/// </summary>
public static class ProgressText
{
    /// <summary>The message as stored: null stays null; the same instance when nothing needed changing.</summary>
    public static string? Bound(string? message)
    {
        if (message is null)
        {
            return null;
        }

        if (message.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0 || message.Contains('\u007f', StringComparison.Ordinal))
        {
            message = string.Create(message.Length, message, static (span, text) =>
            {
                for (var i = 0; i < text.Length; i++)
                {
                    span[i] = char.IsControl(text[i]) ? ' ' : text[i];
                }
            });
        }

        return FailureText.Cut(message, InputLimits.ProgressMessageLength);
    }
}
