using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace Conveyor.Core.Jobs;

/// <summary>
/// The 26-character form of a 128-bit ULID value (Crockford base32, upper case), and back. Parsing accepts only
/// what <see cref="Format(UInt128)"/> writes, so a string and its value stand for each other one to one: a store
/// can key a server-assigned id by its value and give back the same string.
/// </summary>
public static class Ulid
{
    /// <summary>Characters in the text form.</summary>
    public const int Length = 26;

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>The value of each byte in <see cref="Alphabet"/>, 255 for every other byte.</summary>
    private static readonly byte[] Values = BuildValues();

    /// <summary>The text form of <paramref name="value"/>.</summary>
    public static string Format(UInt128 value) => string.Create(Length, value, static (chars, v) =>
    {
        for (var i = Length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(v & 31)];
            v >>= 5;
        }
    });

    /// <summary>Writes the text form of <paramref name="value"/> as <see cref="Length"/> ASCII bytes.</summary>
    public static void FormatUtf8(UInt128 value, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length, nameof(destination));
        for (var i = Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)Alphabet[(int)(value & 31)];
            value >>= 5;
        }
    }

    /// <summary>True when <paramref name="text"/> is exactly the text form of a value (which it returns).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out UInt128 value)
    {
        value = default;
        return text is not null && TryParse(text.AsSpan(), out value);
    }

    /// <inheritdoc cref="TryParse(string?, out UInt128)"/>
    public static bool TryParse(ReadOnlySpan<char> text, out UInt128 value) => TryParseAny(text, out value);

    /// <inheritdoc cref="TryParse(string?, out UInt128)"/>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out UInt128 value) => TryParseAny(utf8, out value);

    private static bool TryParseAny<T>(ReadOnlySpan<T> text, out UInt128 value)
        where T : unmanaged, IBinaryInteger<T>
    {
        value = default;
        if (text.Length != Length || int.CreateTruncating(text[0]) > '7')
        {
            return false;
        }

        UInt128 result = 0;
        foreach (var c in text)
        {
            var code = int.CreateTruncating(c);
            var digit = code is >= 0 and < 128 ? Values[code] : (byte)255;
            if (digit == 255)
            {
                return false;
            }

            result = (result << 5) | digit;
        }

        value = result;
        return true;
    }

    private static byte[] BuildValues()
    {
        var values = new byte[128];
        Array.Fill(values, (byte)255);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            values[Alphabet[i]] = (byte)i;
        }

        return values;
    }
}
