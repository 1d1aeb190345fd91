using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Snapshots;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Snapshots;

public sealed class SnapshotBodyWriterTests
{
    [Fact]
    public void Write_LargeBody_StartsWriteBackOfEachChunkOnceWrittenAndCoversEveryByte()
    {
        var device = new MemoryStorageDevice();
        var file = new RecordingFile(device.Create("body"));
        file.Write(new byte[32]); // a header's room before the body, as a snapshot file has
        var expected = new byte[3_500_000];
        new Random(5).NextBytes(expected);

        using (var body = new SnapshotBodyWriter(file))
        {
            var rest = expected.AsSpan();
            for (var piece = 7; rest.Length > 0; piece = piece * 5 % 1_500_007)
            {
                var n = Math.Min(piece, rest.Length);
                rest[..n].CopyTo(body.GetSpan(n));
                body.Advance(n);
                rest = rest[n..];
            }

            body.Complete();
            Assert.Equal(expected.Length, body.Length);
        }

        // Chunk after chunk, in order, each asked for once its bytes were in the file, together exactly the body.
        Assert.True(file.WriteBacks.Count >= 3, $"{file.WriteBacks.Count} write-backs");
        var next = 32L;
        foreach (var (offset, length, fileLength) in file.WriteBacks)
        {
            Assert.Equal(next, offset);
            Assert.InRange(length, 1, 1_500_007);
            Assert.True(fileLength >= offset + length, "write-back asked for before the bytes were written");
            next = offset + length;
        }

        Assert.Equal(32 + expected.Length, next);
        Assert.Equal(expected, device.ReadAll("body").AsSpan(32).ToArray());
    }

    /// <summary>A file that records what write-back it was asked for (offset, length, its length then).</summary>
    private sealed class RecordingFile(IStorageFile inner) : IStorageFile
    {
        public List<(long Offset, long Length, long FileLength)> WriteBacks { get; } = [];

        public string Path => inner.Path;

        public long Length => inner.Length;

        public void Write(ReadOnlySpan<byte> data) => inner.Write(data);

        public void WriteAt(long offset, ReadOnlySpan<byte> data) => inner.WriteAt(offset, data);

        public void Sync() => inner.Sync();

        public void StartWriteBack(long offset, long length)
        {
            WriteBacks.Add((offset, length, inner.Length));
            inner.StartWriteBack(offset, length);
        }

        public void Truncate(long length) => inner.Truncate(length);

        public void Dispose() => inner.Dispose();
    }
}
