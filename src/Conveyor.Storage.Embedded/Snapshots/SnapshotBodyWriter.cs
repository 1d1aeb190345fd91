using System.Buffers;
using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Log;

namespace Conveyor.Storage.Embedded.Snapshots;

/// <summary>
/// Streams a snapshot body to its file in chunks, computing the CRC as it goes, so a body of
/// hundreds of megabytes never sits in memory whole.
/// </summary>
internal sealed class SnapshotBodyWriter(IStorageFile file) : IBufferWriter<byte>, IDisposable
{
    private const int ChunkBytes = 1024 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
    private int _count;

    public long Length { get; private set; }

    public uint Crc { get; private set; }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _count);
        _count += count;
        if (_count >= ChunkBytes)
            WriteOut();
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_count);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_count);
    }

    /// <summary>Writes out what is still buffered.</summary>
    public void Complete() => WriteOut();

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _count >= needed)
            return;
        WriteOut();
        if (_buffer.Length >= needed)
            return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = ArrayPool<byte>.Shared.Rent(needed);
    }

    private void WriteOut()
    {
        if (_count == 0)
            return;
        var chunk = _buffer.AsSpan(0, _count);
        file.Write(chunk);
        Crc = Crc32C.Append(Crc, chunk);
        Length += _count;
        _count = 0;
    }
}
