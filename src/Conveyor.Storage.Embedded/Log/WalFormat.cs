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

    /// <summary>
    /// The type byte of the flush marker the log writes after each flush's records in a version 2 or later segment;
    /// it belongs to the log, never reaches replay, and callers cannot append it.
    /// </summary>
    public const byte FlushMarkerType = 255;

    /// <summary>
    /// u64 where the flush the marker closes began, u64 how much of the segment was durable (fsynced) when the flush
    /// was written.
    /// </summary>
    public const int FlushMarkerPayloadSize = 16;

    public const int FlushMarkerSize = RecordHeaderSize + FlushMarkerPayloadSize;

    /// <summary>
    /// Segments written now: version 3. Version 2 added a flush marker after every flush; version 3 changed no framing,
    /// only the records' payloads (ids that are ULIDs written as 16-byte values), so that a binary from before it
    /// refuses the segment instead of misreading it. Versions 2 and 3 are read alike.
    /// </summary>
    public const int CurrentVersion = 3;

    private const string Extension = ".wal";

    /// <summary>The magic without its two version digits.</summary>
    private static ReadOnlySpan<byte> MagicPrefix => "CNVWAL"u8;

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

    /// <summary>Writes a header of the current version (magic <c>CNVWAL03</c>).</summary>
    public static void WriteSegmentHeader(Span<byte> destination, long index)
    {
        MagicPrefix.CopyTo(destination);
        destination[6] = (byte)'0';
        destination[7] = (byte)('0' + CurrentVersion);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], (ulong)index);
    }

    /// <summary>
    /// The segment format version of a valid header for segment <paramref name="index"/>: 1 (<c>CNVWAL01</c>, no
    /// flush markers), 2 (<c>CNVWAL02</c>) or 3 (<c>CNVWAL03</c>); 0 when the bytes are not such a header.
    /// </summary>
    public static int ReadSegmentVersion(ReadOnlySpan<byte> data, long index) =>
        MagicVersion(data) is { } version and >= 1 and <= CurrentVersion
        && data.Length >= SegmentHeaderSize
        && BinaryPrimitives.ReadUInt64LittleEndian(data[8..]) == (ulong)index
            ? version
            : 0;

    /// <summary>
    /// Why a segment's header (<see cref="ReadSegmentVersion"/> gave 0) is refused: a header of a newer format version
    /// than this binary reads is named as such, so an operator who downgraded is told that, not of damage.
    /// </summary>
    public static string HeaderProblem(ReadOnlySpan<byte> data) => MagicVersion(data) is { } version and > CurrentVersion
        ? $"segment format version {version} is newer than this binary reads (1–{CurrentVersion}): a newer Conveyor wrote it, and a data directory cannot be downgraded"
        : "missing or invalid segment header";

    /// <summary>The two decimal digits after <c>CNVWAL</c> (<c>CNVWAL03</c> is 3); null when the bytes do not start so.</summary>
    private static int? MagicVersion(ReadOnlySpan<byte> data) =>
        data.Length >= 8 && data[..6].SequenceEqual(MagicPrefix) && char.IsAsciiDigit((char)data[6]) && char.IsAsciiDigit((char)data[7])
            ? ((data[6] - '0') * 10) + data[7] - '0'
            : null;

    /// <summary>Frames the 25-byte marker closing a flush.</summary>
    public static void WriteFlushMarker(Span<byte> destination, FlushMarker marker)
    {
        var frame = destination[..FlushMarkerSize];
        BinaryPrimitives.WriteUInt64LittleEndian(frame[RecordHeaderSize..], (ulong)marker.Start);
        BinaryPrimitives.WriteUInt64LittleEndian(frame[(RecordHeaderSize + 8)..], (ulong)marker.DurableThrough);
        SealRecord(frame, FlushMarkerType);
    }

    /// <summary>Whether a valid record is a well-formed flush marker (durable point not after the flush's start); if so, its fields.</summary>
    public static bool TryReadFlushMarker(byte type, ReadOnlySpan<byte> payload, out FlushMarker marker)
    {
        marker = default;
        if (type != FlushMarkerType || payload.Length != FlushMarkerPayloadSize)
        {
            return false;
        }

        var start = BinaryPrimitives.ReadUInt64LittleEndian(payload);
        var durable = BinaryPrimitives.ReadUInt64LittleEndian(payload[8..]);
        if (start > long.MaxValue || durable > start)
        {
            return false;
        }

        marker = new FlushMarker((long)start, (long)durable);
        return true;
    }

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
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(rest);
        if (length > MaxPayloadBytes || length > (uint)(rest.Length - RecordHeaderSize) || rest[8] == 0)
        {
            return false;
        }

        var typeAndPayload = rest.Slice(8, 1 + (int)length);
        if (Crc32C.Compute(typeAndPayload) != BinaryPrimitives.ReadUInt32LittleEndian(rest[4..]))
        {
            return false;
        }

        type = rest[8];
        payload = typeAndPayload[1..];
        return true;
    }
}
