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

    /// <summary>Writes a job's id as <see cref="WriteString"/> would, without making a string of a ULID value.</summary>
    public void WriteKey(JobKey key)
    {
        if (!key.TryGetUlid(out var value))
        {
            WriteString(key.ToString());
            return;
        }

        var span = output.GetSpan(Ulid.Length + 1);
        span[0] = Ulid.Length;
        Ulid.FormatUtf8(value, span[1..]);
        output.Advance(Ulid.Length + 1);
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
