using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Conveyor.Core.Jobs;

/// <summary>
/// Server-assigned job ids: 26-character ULIDs (48-bit millisecond time + 80 random bits, Crockford
/// base32), so ids sort by creation time and never collide across nodes.
/// </summary>
public static class JobIdGenerator
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A new id for a job created at <paramref name="now"/>.</summary>
    public static string NewId(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = (ulong)Math.Max(0, now.ToUnixTimeMilliseconds());
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)ms;
            ms >>= 8;
        }

        RandomNumberGenerator.Fill(bytes[6..]);
        var value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        Span<char> chars = stackalloc char[26];
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(chars);
    }
}
