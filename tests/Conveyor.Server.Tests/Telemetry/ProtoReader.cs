using System.Buffers.Binary;
using System.Text;

namespace Conveyor.Server.Tests.Telemetry;

/// <summary>
/// The protobuf wire format, only as far as the OTLP tests need: walks a message's fields, handing each to the caller
/// with its number and, for length-delimited ones, its bytes (sub-messages, strings, bytes); other wire types are skipped.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> data = data;
    private int position;

    public int Field { get; private set; }

    public int WireType { get; private set; }

    /// <summary>A length-delimited field's bytes (valid after <see cref="Next"/> returned true with wire type 2).</summary>
    public ReadOnlySpan<byte> Bytes { get; private set; }

    /// <summary>A varint or fixed field's value.</summary>
    public ulong Number { get; private set; }

    public string Text => Encoding.UTF8.GetString(Bytes);

    public bool Next()
    {
        if (position >= data.Length)
        {
            return false;
        }

        var key = ReadVarint();
        Field = (int)(key >> 3);
        WireType = (int)(key & 7);
        Bytes = default;
        Number = 0;
        switch (WireType)
        {
            case 0:
                Number = ReadVarint();
                break;
            case 1:
                Number = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(position, 8));
                position += 8;
                break;
            case 2:
                var length = checked((int)ReadVarint());
                Bytes = data.Slice(position, length);
                position += length;
                break;
            case 5:
                Number = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(position, 4));
                position += 4;
                break;
            default:
                throw new InvalidDataException($"wire type {WireType} at {position}");
        }

        return true;
    }

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("varint too long");
    }
}
