using System.Buffers;
using System.Globalization;
using System.Text;

namespace Conveyor.Core.Inputs;

/// <summary>
/// What a name may hold (queues, job types, tags, worker ids, meta keys): printable text only. Refused: control
/// characters, format characters (the bidi controls U+200E/F, U+202A–E, U+2066–9 and the zero-width U+200B–D, U+2060,
/// U+FEFF among them), line and paragraph separators, and lone surrogates; and, where <c>spaces</c> is false, any
/// white space. Such characters make one name look like another in a log, a table or a terminal.
/// </summary>
public static class NameRules
{
    /// <summary>The first problem with <paramref name="value"/> as a name, or null when it is fine.</summary>
    /// <param name="value">The name.</param>
    /// <param name="maxLength">Its longest allowed length.</param>
    /// <param name="spaces">Whether white space other than line breaks and controls may appear (tags and meta keys: yes; queues, types, worker ids: no).</param>
    public static InputError? Check(string? value, int maxLength, bool spaces = false)
    {
        if (string.IsNullOrEmpty(value))
        {
            return new InputError($"must be 1–{maxLength} characters");
        }

        if (value.Length > maxLength)
        {
            return new InputError($"must be at most {maxLength} characters", TooLarge: true);
        }

        return CharacterError(value, spaces);
    }

    /// <summary>The first refused character in <paramref name="value"/>, described, or null.</summary>
    public static InputError? CharacterError(string value, bool spaces)
    {
        ArgumentNullException.ThrowIfNull(value);

        // Names are printable ASCII almost always: find the characters outside '!'..'~' in one vectorized pass and
        // look only at those (no precomputed set: nothing to build on the first request).
        var rest = value.AsSpan();
        int i;
        while ((i = rest.IndexOfAnyExceptInRange('!', '~')) >= 0)
        {
            rest = rest[i..];
            if (Rune.DecodeFromUtf16(rest, out var rune, out var used) != OperationStatus.Done)
            {
                return new InputError("must not contain lone surrogates (invalid UTF-16)");
            }

            if (Refused(rune, spaces) is { } what)
            {
                return new InputError($"must not contain {what} (U+{rune.Value:X4} at {value.Length - rest.Length})");
            }

            rest = rest[used..];
        }

        return null;
    }

    private static string? Refused(Rune rune, bool spaces) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control => "control characters",
        UnicodeCategory.Format => "invisible formatting characters (bidi controls, zero-width characters)",
        UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => "line breaks",
        UnicodeCategory.SpaceSeparator when !spaces => "spaces",
        _ => null,
    };
}
