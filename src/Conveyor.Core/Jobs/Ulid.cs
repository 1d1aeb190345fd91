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

    private static ReadOnlySpan<byte> Alphabet => "0123456789ABCDEFGHJKMNPQRSTVWXYZ"u8;

    /// <summary>The value of each byte in <see cref="Alphabet"/>, 255 for every other byte.</summary>
    private static readonly byte[] Values = BuildValues();

    /// <summary>The text form of <paramref name="value"/>.</summary>
    public static string Format(UInt128 value) => string.Create(Length, value, static (chars, v) => Write(v, chars));

    /// <summary>Writes the text form of <paramref name="value"/> as <see cref="Length"/> ASCII bytes.</summary>
    public static void FormatUtf8(UInt128 value, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length, nameof(destination));
        Write(value, destination);
    }

    /// <summary>
    /// Five bits a character from the lowest, on two 64-bit halves rather than 128-bit shifts: characters 25–14 hold
    /// the low half's bits 0–59, character 13 its bits 60–63 and the high half's bit 0, characters 12–0 the high half's
    /// bits 1–63 (the first character has three).
    /// </summary>
    private static void Write<T>(UInt128 value, Span<T> destination)
        where T : unmanaged, IBinaryInteger<T>
    {
        destination = destination[..Length];
        ReadOnlySpan<byte> alphabet = Alphabet;
        var low = (ulong)value;
        var high = (ulong)(value >> 64);
        for (var i = Length - 1; i >= 14; i--)
        {
            destination[i] = T.CreateTruncating(alphabet[(int)(low & 31)]);
            low >>= 5;
        }

        destination[13] = T.CreateTruncating(alphabet[(int)(low | ((high & 1) << 4))]);
        high >>= 1;
        for (var i = 12; i >= 0; i--)
        {
            destination[i] = T.CreateTruncating(alphabet[(int)(high & 31)]);
            high >>= 5;
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

    /// <summary>The reverse of <see cref="FormatUtf8"/>, on the same two halves.</summary>
    private static bool TryParseAny<T>(ReadOnlySpan<T> text, out UInt128 value)
        where T : unmanaged, IBinaryInteger<T>
    {
        value = default;
        if (text.Length != Length || uint.CreateTruncating(text[0]) > '7')
        {
            return false;
        }

        // Every digit is below 32; a character outside the alphabet reads as 255, so one check at the end finds it.
        uint seen = 0;
        ulong high = 0;
        for (var i = 0; i <= 12; i++)
        {
            var digit = Digit(text[i]);
            seen |= digit;
            high = (high << 5) | digit;
        }

        var middle = Digit(text[13]);
        seen |= middle;
        high = (high << 1) | ((middle >> 4) & 1);
        ulong low = middle & 15;
        for (var i = 14; i < Length; i++)
        {
            var digit = Digit(text[i]);
            seen |= digit;
            low = (low << 5) | digit;
        }

        if (seen >= 32)
        {
            return false;
        }

        value = new UInt128(high, low);
        return true;
    }

    private static uint Digit<T>(T c)
        where T : unmanaged, IBinaryInteger<T>
    {
        var code = uint.CreateTruncating(c);
        return code < 128 ? Values[code] : 255u;
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
