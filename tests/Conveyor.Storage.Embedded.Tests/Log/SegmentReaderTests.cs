using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Log;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Log;

/// <summary>The windowed reader finds the same records a whole-file read would, across window edges.</summary>
public sealed class SegmentReaderTests
{
    private const string Path = "wal/00000000000000000001.wal";

    [Fact]
    public void TryReadRecord_RandomRecordsAcrossWindowEdges_ReadsEveryOneThenZeros()
    {
        var random = new Random(11);
        for (var round = 0; round < 20; round++)
        {
            var device = new MemoryStorageDevice();
            var (wal, _) = WalHarness.Open(device, segmentBytes: 8L << 20);
            var written = new List<Rec>();
            var total = 0;
            while (total < (3 << 20))
            {
                // Mostly small, sometimes larger than the 1 MiB window, so records straddle and outgrow it.
                var size = random.Next(10) == 0 ? random.Next(1 << 20, 3 << 19) : random.Next(0, 5000);
                var record = new Rec((byte)random.Next(1, WalFormat.FlushMarkerType), RandomBytes(random, size));
                wal.Append(record);
                written.Add(record);
                total += size;
            }
            wal.Flush(sync: true);
            var end = wal.CurrentSegmentLength;
            wal.Dispose();

            using var reader = new SegmentReader(device, Path, device.GetLength(Path));
            var read = new List<Rec>();
            long offset = WalFormat.SegmentHeaderSize;
            while (reader.TryReadRecord(offset, out var type, out var payload))
            {
                read.Add(new Rec(type, payload.ToArray()));
                offset += WalFormat.RecordHeaderSize + payload.Length;
            }

            // The one flush ends with its marker, which names where the flush began.
            Assert.Equal(written, read[..^1]);
            Assert.Equal(WalFormat.FlushMarkerType, read[^1].Type);
            Assert.True(WalFormat.TryReadFlushMarker(read[^1].Type, read[^1].Payload, out var marker));
            Assert.Equal(new FlushMarker(WalFormat.SegmentHeaderSize, WalFormat.SegmentHeaderSize), marker);
            Assert.Equal(end, offset);
            Assert.True(reader.IsZeroFrom(offset));
            Assert.False(reader.IsZeroFrom(offset - 1 - random.Next(1000)));
            Assert.Equal(-1, reader.FindNextRecord(offset));
        }
    }

    [Fact]
    public void FindNextRecord_AfterGarbageAndZeros_FindsTheRecordWhereItStarts()
    {
        var random = new Random(5);
        for (var round = 0; round < 200; round++)
        {
            var frame = Frame(new Rec((byte)random.Next(1, 256), RandomBytes(random, random.Next(0, 40))));
            var garbage = RandomBytes(random, random.Next(0, 64));
            var zeros = random.Next(0, 3) == 0 ? random.Next(1 << 20, 5 << 19) : random.Next(0, 100);
            var at = WalFormat.SegmentHeaderSize + garbage.Length + zeros;
            var device = new MemoryStorageDevice();
            using (var file = device.Create(Path))
            {
                file.Write(new byte[WalFormat.SegmentHeaderSize]);
                file.Write(garbage);
                file.Write(new byte[zeros]);
                file.Write(frame);
                file.Write(new byte[random.Next(0, 30)]);
            }

            using var reader = new SegmentReader(device, Path, device.GetLength(Path));

            var found = reader.FindNextRecord(WalFormat.SegmentHeaderSize - 1);
            // Random garbage may hold a valid record by chance only with a matching CRC: practically never.
            Assert.Equal(at, found);
            Assert.False(reader.IsZeroFrom(WalFormat.SegmentHeaderSize + garbage.Length));
        }
    }

    [Fact]
    public void FindNextRecord_RandomNoise_FindsNothing()
    {
        var random = new Random(3);
        var device = new MemoryStorageDevice();
        using (var file = device.Create(Path))
        {
            file.Write(RandomBytes(random, 1 << 16));
        }

        using var reader = new SegmentReader(device, Path, device.GetLength(Path));

        Assert.Equal(-1, reader.FindNextRecord(-1));
        Assert.False(reader.TryReadRecord(1 << 16, out _, out _));
    }

    private static byte[] RandomBytes(Random random, int size)
    {
        var bytes = new byte[size];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Frame(Rec record)
    {
        var frame = new byte[WalFormat.RecordHeaderSize + record.Payload.Length];
        record.Payload.CopyTo(frame, WalFormat.RecordHeaderSize);
        WalFormat.SealRecord(frame, record.Type);
        return frame;
    }
}
