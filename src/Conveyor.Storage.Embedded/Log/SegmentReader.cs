using System.Buffers;
using System.Buffers.Binary;
using Conveyor.Storage.Embedded.Device;

namespace Conveyor.Storage.Embedded.Log;

/// <summary>
/// Reads the records of one segment front to back through a pooled window, so recovery holds at most
/// a chunk (or one record larger than it) of a segment in memory, not the whole preallocated file.
/// </summary>
internal sealed class SegmentReader : IDisposable
{
    private const int ChunkBytes = 1 << 20;

    private readonly IStorageDevice device;
    private byte[] window;
    private long windowStart;
    private int windowCount;

    public SegmentReader(IStorageDevice device, string path, long end)
    {
        this.device = device;
        Path = path;
        End = end;
        window = ArrayPool<byte>.Shared.Rent(ChunkBytes);
    }

    public string Path { get; }

    /// <summary>Where reading stops: the file's length, or the log's committed end.</summary>
    public long End { get; }

    /// <summary>The segment's format version (1–3), or 0 when it does not start with a valid header for <paramref name="index"/>.</summary>
    public int ReadVersion(long index) => WalFormat.ReadSegmentVersion(Peek(0, WalFormat.SegmentHeaderSize), index);

    /// <summary>Why the header <see cref="ReadVersion"/> refused is refused (<see cref="WalFormat.HeaderProblem"/>).</summary>
    public string HeaderProblem() => WalFormat.HeaderProblem(Peek(0, WalFormat.SegmentHeaderSize));

    /// <summary>
    /// Whether a well-formed record with a correct CRC starts at <paramref name="offset"/>; if so its type and
    /// payload (valid until the next call). Never throws on the bytes, whatever they are.
    /// </summary>
    public bool TryReadRecord(long offset, out byte type, out ReadOnlySpan<byte> payload)
    {
        type = 0;
        payload = default;
        var header = Peek(offset, WalFormat.RecordHeaderSize);
        if (header.Length < WalFormat.RecordHeaderSize)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (length > WalFormat.MaxPayloadBytes || length > End - offset - WalFormat.RecordHeaderSize)
        {
            return false;
        }

        return WalFormat.TryReadRecord(Peek(offset, WalFormat.RecordHeaderSize + (int)length), 0, out type, out payload);
    }

    /// <summary>Whether every byte from <paramref name="offset"/> to <see cref="End"/> is zero: space preallocated and never written.</summary>
    public bool IsZeroFrom(long offset) => NextNonZero(offset) < 0;

    /// <summary>The first offset after <paramref name="offset"/> where a valid record starts, or -1.</summary>
    public long FindNextRecord(long offset)
    {
        var candidate = offset + 1;
        while (candidate <= End - WalFormat.RecordHeaderSize)
        {
            // A valid record has a non-zero type byte 8 bytes in, so runs of zeros are skipped whole.
            var nonZero = NextNonZero(candidate);
            if (nonZero < 0)
            {
                return -1;
            }

            candidate = Math.Max(candidate, nonZero - (WalFormat.RecordHeaderSize - 1));
            if (TryReadRecord(candidate, out _, out _))
            {
                return candidate;
            }

            candidate++;
        }
        return -1;
    }

    /// <summary>Where the data ends: one past the last non-zero byte at or after <paramref name="offset"/>, else <paramref name="offset"/>.</summary>
    public long DataEndFrom(long offset)
    {
        var end = offset;
        for (var position = offset; position < End;)
        {
            var bytes = Peek(position, ChunkBytes);
            var last = bytes.LastIndexOfAnyExcept((byte)0);
            if (last >= 0)
            {
                end = position + last + 1;
            }

            position += bytes.Length;
        }
        return end;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(window);

    private long NextNonZero(long offset)
    {
        var position = offset;
        while (true)
        {
            var bytes = Peek(position, ChunkBytes);
            if (bytes.IsEmpty)
            {
                return -1;
            }

            var found = bytes.IndexOfAnyExcept((byte)0);
            if (found >= 0)
            {
                return position + found;
            }

            position += bytes.Length;
        }
    }

    /// <summary>Up to <paramref name="length"/> bytes at <paramref name="offset"/> (fewer at <see cref="End"/>).</summary>
    private ReadOnlySpan<byte> Peek(long offset, int length)
    {
        var available = (int)Math.Min(length, Math.Max(0, End - offset));
        if (available == 0)
        {
            return default;
        }

        if (offset < windowStart || offset + available > windowStart + windowCount)
        {
            Load(offset, available);
        }

        return window.AsSpan((int)(offset - windowStart), Math.Min(available, windowCount - (int)(offset - windowStart)));
    }

    private void Load(long offset, int length)
    {
        if (length > window.Length)
        {
            ArrayPool<byte>.Shared.Return(window);
            window = ArrayPool<byte>.Shared.Rent(length);
        }
        var count = (int)Math.Min(Math.Max(length, ChunkBytes), Math.Min(window.Length, End - offset));
        windowStart = offset;
        windowCount = device.Read(Path, offset, window.AsSpan(0, count));
    }
}
