using System.Buffers;
using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Log;

namespace Conveyor.Storage.Embedded.Snapshots;

/// <summary>
/// Streams a snapshot body to its file in chunks, computing the CRC as it goes, so a body of
/// hundreds of megabytes never sits in memory whole.
/// </summary>
internal sealed class SnapshotBodyWriter : PayloadBuffer, IDisposable
{
    private const int ChunkBytes = 1024 * 1024;

    private readonly IStorageFile file;

    public SnapshotBodyWriter(IStorageFile file)
    {
        this.file = file;
        Buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
    }

    public long Length { get; private set; }

    public uint Crc { get; private set; }

    /// <summary>Writes out what is still buffered.</summary>
    public void Complete() => WriteOut();

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(Buffer);
        Buffer = [];
    }

    /// <summary>The chunk is full: write it out, and take a bigger array only for a value larger than a chunk.</summary>
    protected override void MakeRoom(int needed)
    {
        WriteOut();
        if (Buffer.Length >= needed)
        {
            return;
        }

        ArrayPool<byte>.Shared.Return(Buffer);
        Buffer = ArrayPool<byte>.Shared.Rent(needed);
    }

    private void WriteOut()
    {
        if (Count == 0)
        {
            return;
        }

        var chunk = Buffer.AsSpan(0, Count);
        var offset = file.Length;
        file.Write(chunk);

        // Left alone, the OS would keep the whole body dirty (hundreds of MB) until the final fsync, which would then
        // hold the disk for as long, with every WAL fsync queued behind it; written back chunk by chunk, a WAL fsync
        // waits behind at most a chunk or two.
        file.StartWriteBack(offset, chunk.Length);
        Crc = Crc32C.Append(Crc, chunk);
        Length += Count;
        Count = 0;
    }
}
