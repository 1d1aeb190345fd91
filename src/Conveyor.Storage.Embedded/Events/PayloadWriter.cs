using System.Buffers.Binary;
using System.Text;
using Conveyor.Core.Jobs;
using Conveyor.Storage.Embedded.Log;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>
/// Writes record and snapshot payloads: unsigned LEB128 varints, zigzag signed varints, and
/// length-prefixed UTF-8 strings and byte strings (docs/storage-format.md, "Payload encoding").
/// </summary>
internal readonly struct PayloadWriter(PayloadBuffer output)
{
    /// <summary>The byte in front of a key written as its ULID value (a string key's length byte is at least 1).</summary>
    public const byte KeyValueTag = 0;

    /// <summary>A key written as its ULID value: the tag and 16 bytes.</summary>
    public const int KeyValueBytes = 17;

    public void WriteByte(byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    public void WriteVarUInt(ulong value)
    {
        var span = output.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        output.Advance(i);
    }

    public void WriteVarInt(long value) => WriteVarUInt((ulong)((value << 1) ^ (value >> 63)));

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteVarUInt((ulong)value.Length);
        value.CopyTo(output.GetSpan(value.Length));
        output.Advance(value.Length);
    }

    public void WriteString(string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max < 128)
        {
            // Short strings (ids, queue names): encode straight after a one-byte length.
            var span = output.GetSpan(max + 1);
            var length = Encoding.UTF8.GetBytes(value, span[1..]);
            span[0] = (byte)length;
            output.Advance(length + 1);
            return;
        }

        var count = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt((ulong)count);
        Encoding.UTF8.GetBytes(value, output.GetSpan(count));
        output.Advance(count);
    }

    /// <summary>
    /// Writes a job's id: a ULID value as <c>u8 0</c> + its 16 bytes (big-endian), any other id as a string. No id is
    /// empty, so a string's length byte is never 0 and the two forms cannot be confused (storage format version 3;
    /// before it, ULIDs were written as their 26-character text, which <see cref="PayloadReader.ReadKey"/> still reads).
    /// </summary>
    public void WriteKey(JobKey key)
    {
        if (!key.TryGetUlid(out var value))
        {
            var text = key.ToString();
            if (text.Length == 0)
            {
                throw new InvalidOperationException("a job id is never empty");
            }

            WriteString(text);
            return;
        }

        var span = output.GetSpan(KeyValueBytes);
        span[0] = KeyValueTag;
        BinaryPrimitives.WriteUInt128BigEndian(span[1..], value);
        output.Advance(KeyValueBytes);
    }

    /// <summary>Writes 0 for null, else 1 + the string.</summary>
    public void WriteNullableString(string? value)
    {
        if (value is null)
        {
            WriteByte(0);
            return;
        }

        WriteByte(1);
        WriteString(value);
    }

    public void WriteStrings(IReadOnlyList<string> values)
    {
        WriteVarUInt((ulong)values.Count);
        foreach (var value in values)
        {
            WriteString(value);
        }
    }

    /// <summary>A count, then each id as <see cref="WriteKey"/> (the bytes of <see cref="WriteStrings"/> of their text).</summary>
    public void WriteKeys(JobKey[] ids)
    {
        WriteVarUInt((ulong)ids.Length);
        foreach (var id in ids)
        {
            WriteKey(id);
        }
    }
}
