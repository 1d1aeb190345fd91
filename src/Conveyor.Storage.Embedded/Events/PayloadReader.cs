using System.Buffers.Binary;
using System.Text;
using Conveyor.Core.Jobs;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>Reads what <see cref="PayloadWriter"/> wrote; malformed input throws <see cref="InvalidDataException"/>.</summary>
internal ref struct PayloadReader(ReadOnlySpan<byte> input)
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
    private static readonly byte[] SharedEmptyArgs = "[]"u8.ToArray();

    private ReadOnlySpan<byte> rest = input;

    public readonly bool End => rest.IsEmpty;

    public byte ReadByte()
    {
        if (rest.IsEmpty)
        {
            throw Truncated();
        }

        var value = rest[0];
        rest = rest[1..];
        return value;
    }

    public ulong ReadVarUInt()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("varint longer than 10 bytes");
    }

    public long ReadVarInt()
    {
        var raw = ReadVarUInt();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>An element count: no larger than <paramref name="max"/> nor than the bytes left.</summary>
    public int ReadCount(int max = int.MaxValue)
    {
        var value = ReadVarUInt();
        // Every element takes at least one byte, so a count beyond what is left is corrupt.
        if (value > (ulong)max || value > (ulong)rest.Length)
        {
            throw new InvalidDataException($"count {value} exceeds its limit");
        }

        return (int)value;
    }

    /// <summary>A varint scalar that must be within 0..<paramref name="max"/>.</summary>
    public int ReadInt(int max)
    {
        var value = ReadVarUInt();
        return value <= (ulong)max ? (int)value : throw new InvalidDataException($"value {value} exceeds {max}");
    }

    public long ReadInt64()
    {
        if (rest.Length < 8)
        {
            throw Truncated();
        }

        var value = BinaryPrimitives.ReadInt64LittleEndian(rest);
        rest = rest[8..];
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarUInt();
        if (length > (ulong)rest.Length)
        {
            throw Truncated();
        }

        var value = rest[..(int)length];
        rest = rest[(int)length..];
        return value;
    }

    /// <summary>A job's args: a copy of the bytes, except that <c>[]</c> is one shared array (most jobs have no args).</summary>
    public byte[] ReadArgs()
    {
        var bytes = ReadBytes();
        return bytes.SequenceEqual(SharedEmptyArgs) ? SharedEmptyArgs : bytes.ToArray();
    }

    public string ReadString() => Decode(ReadBytes());

    /// <summary>
    /// A job's id: a ULID value (<c>u8 0</c> + 16 bytes), or a string — where the 26-character text of a ULID, as
    /// versions before 3 wrote every id, also becomes its value without a string.
    /// </summary>
    public JobKey ReadKey()
    {
        if (!rest.IsEmpty && rest[0] == PayloadWriter.KeyValueTag)
        {
            if (rest.Length < PayloadWriter.KeyValueBytes)
            {
                throw Truncated();
            }

            var ulid = BinaryPrimitives.ReadUInt128BigEndian(rest[1..]);
            rest = rest[PayloadWriter.KeyValueBytes..];
            return JobKey.FromValue(ulid);
        }

        var bytes = ReadBytes();
        return JobKey.TryOfUlid(bytes, out var key) ? key : JobKey.Of(Decode(bytes));
    }

    public string? ReadNullableString() => ReadByte() switch
    {
        0 => null,
        1 => ReadString(),
        var other => throw new InvalidDataException($"bad presence byte {other}"),
    };

    public string[] ReadStrings()
    {
        var count = ReadCount();
        var values = count == 0 ? [] : new string[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = ReadString();
        }

        return values;
    }

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException("invalid UTF-8 in a string", ex);
        }
    }

    private static InvalidDataException Truncated() => new("payload ends early");
}
