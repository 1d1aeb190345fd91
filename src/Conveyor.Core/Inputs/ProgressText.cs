using System.Globalization;

namespace Conveyor.Core.Inputs;

/// <summary>
/// Keeps a progress message printable and within <see cref="InputLimits.ProgressMessageLength"/>: control characters,
/// invisible formatting characters (bidi controls, zero-width ones) and line breaks become spaces, and a longer text is cut
/// with a marker as a failure's is (<see cref="FailureText"/>). Never refused: a worker's report should not fail on its text.
/// </summary>
public static class ProgressText
{
    private static readonly System.Buffers.SearchValues<char> PrintableAscii =
        System.Buffers.SearchValues.Create(Enumerable.Range(0x20, 0x7f - 0x20).Select(c => (char)c).ToArray());

    /// <summary>The message as stored: null stays null; the same instance when nothing needed changing.</summary>
    public static string? Bound(string? message)
    {
        if (message is null)
        {
            return null;
        }

        if (message.AsSpan().IndexOfAnyExcept(PrintableAscii) >= 0 && message.Any(Unprintable))
        {
            message = string.Create(message.Length, message, static (span, text) =>
            {
                for (var i = 0; i < text.Length; i++)
                {
                    span[i] = Unprintable(text[i]) ? ' ' : text[i];
                }
            });
        }

        return FailureText.Cut(message, InputLimits.ProgressMessageLength);
    }

    private static bool Unprintable(char c) => char.GetUnicodeCategory(c) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
