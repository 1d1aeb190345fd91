using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Log;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Log;

public sealed class WalCorruptionTests
{
    private const string First = "wal/00000000000000000001.wal";

    [Fact]
    public void Open_FlippedByteInFlushFollowedByACompleteFlush_ThrowsNamingFileAndOffset()
    {
        var (device, offsets) = ThreeRecords();
        var marker = offsets[2] - WalFormat.FlushMarkerSize;
        for (var at = offsets[1]; at < offsets[2]; at++)
        {
            var copy = Copy(device);
            var original = copy.ReadAll(First)[at];
            WalHarness.Clobber(copy, First, at, (byte)(original ^ 0x40));

            var ex = Assert.Throws<WalCorruptionException>(() => WalHarness.Open(copy));

            // The damaged record is named: the flush's record, or its marker.
            var expected = at < marker ? offsets[1] : marker;
            Assert.Equal(First, ex.FileName);
            Assert.Equal(expected, ex.Offset);
            Assert.Contains(First, ex.Message, StringComparison.Ordinal);
            Assert.Contains($"offset {expected}", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Open_BadRecordAtTailOfNonLastSegment_Throws()
    {
        var (device, offsets) = ThreeRecords();
        var (wal, _) = WalHarness.Open(device);
        wal.RollSegment();
        wal.Append(1, "in segment two"u8);
        wal.Flush(sync: true);
        wal.Dispose();
        WalHarness.Clobber(device, First, offsets[2] + 12, 0xFF);

        var ex = Assert.Throws<WalCorruptionException>(() => WalHarness.Open(device));

        Assert.Equal(First, ex.FileName);
        Assert.Equal(offsets[2], ex.Offset);
    }

    [Fact]
    public void Open_BadHeaderOfNonLastSegment_Throws()
    {
        var (device, _) = ThreeRecords();
        var (wal, _) = WalHarness.Open(device);
        wal.RollSegment();
        wal.Dispose();
        WalHarness.Clobber(device, First, 0, (byte)'X');

        var ex = Assert.Throws<WalCorruptionException>(() => WalHarness.Open(device));

        Assert.Equal((First, 0L), (ex.FileName, ex.Offset));
    }

    [Fact]
    public void Open_GapInSegmentNumbers_ThrowsNamingMissingSegment()
    {
        var device = new MemoryStorageDevice();
        var (wal, _) = WalHarness.Open(device);
        wal.RollSegment();
        wal.RollSegment();
        wal.Dispose();
        device.Delete("wal/00000000000000000002.wal");

        var ex = Assert.Throws<WalCorruptionException>(() => WalHarness.Open(device));

        Assert.Equal("wal/00000000000000000002.wal", ex.FileName);
    }

    /// <summary>A segment with three records; returns each record's start offset.</summary>
    private static (MemoryStorageDevice Device, long[] Offsets) ThreeRecords()
    {
        var device = new MemoryStorageDevice();
        var (wal, _) = WalHarness.Open(device, segmentBytes: 64 * 1024);
        var offsets = new long[3];
        for (var i = 0; i < 3; i++)
        {
            offsets[i] = wal.CurrentSegmentLength;
            wal.Append(WalHarness.Make(i, 20 + i));
            wal.Flush(sync: true);
        }
        wal.Dispose();
        return (device, offsets);
    }

    private static MemoryStorageDevice Copy(MemoryStorageDevice source)
    {
        var copy = new MemoryStorageDevice();
        foreach (var name in source.ListFiles("wal"))
        {
            using var file = copy.Create("wal/" + name);
            file.Write(source.ReadAll("wal/" + name));
            file.Sync();
        }
        copy.SyncDirectory("wal");
        return copy;
    }
}
