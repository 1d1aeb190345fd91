using System.Buffers.Binary;
using System.Globalization;

namespace Conveyor.Storage.Embedded.Log;

/// <summary>The WAL's on-disk layout; docs/storage-format.md is the prose version of this file.</summary>
internal static class WalFormat
{
    public const string Directory = "wal";

    public const int SegmentHeaderSize = 16;

    /// <summary>u32 payload length + u32 CRC-32C + u8 type.</summary>
    public const int RecordHeaderSize = 9;

    public const int MaxPayloadBytes = 256 * 1024 * 1024;

    private const string Extension = ".wal";

    public static ReadOnlySpan<byte> SegmentMagic => "CNVWAL01"u8;

    public static string SegmentFileName(long index) => index.ToString("D20", CultureInfo.InvariantCulture) + Extension;

    public static string SegmentPath(long index) => Directory + "/" + SegmentFileName(index);

    public static bool TryParseSegmentFileName(string name, out long index)
    {
        index = 0;
        return name.Length == 20 + Extension.Length
            && name.EndsWith(Extension, StringComparison.Ordinal)
            && name.AsSpan(0, 20).IndexOfAnyExceptInRange('0', '9') < 0
            && long.TryParse(name.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out index)
            && index > 0;
    }

    public static void WriteSegmentHeader(Span<byte> destination, long index)
    {
        SegmentMagic.CopyTo(destination);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], (ulong)index);
    }

    public static bool IsSegmentHeader(ReadOnlySpan<byte> data, long index) =>
        data.Length >= SegmentHeaderSize
        && data[..8].SequenceEqual(SegmentMagic)
        && BinaryPrimitives.ReadUInt64LittleEndian(data[8..]) == (ulong)index;

    /// <summary>Fills the 9-byte frame header in front of a payload already at <c>frame[9..]</c>.</summary>
    public static void SealRecord(Span<byte> frame, byte type)
    {
        var payloadLength = frame.Length - RecordHeaderSize;
        frame[8] = type;
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[4..], Crc32C.Compute(frame[8..]));
    }

    /// <summary>
    /// Whether a well-formed record with a correct CRC starts at <paramref name="offset"/>; if so its
    /// type and payload. Never throws, whatever the bytes.
    /// </summary>
    public static bool TryReadRecord(ReadOnlySpan<byte> data, int offset, out byte type, out ReadOnlySpan<byte> payload)
    {
        type = 0;
        payload = default;
        var rest = data[offset..];
        if (rest.Length < RecordHeaderSize)
            return false;
        var length = BinaryPrimitives.ReadUInt32LittleEndian(rest);
        if (length > MaxPayloadBytes || length > (uint)(rest.Length - RecordHeaderSize) || rest[8] == 0)
            return false;
        var typeAndPayload = rest.Slice(8, 1 + (int)length);
        if (Crc32C.Compute(typeAndPayload) != BinaryPrimitives.ReadUInt32LittleEndian(rest[4..]))
            return false;
        type = rest[8];
        payload = typeAndPayload[1..];
        return true;
    }
}
