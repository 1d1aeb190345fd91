using Conveyor.Storage.Embedded.Device;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Log;

public sealed class WalSegmentTests
{
    [Fact]
    public void Flush_SegmentReachedThreshold_NextFlushStartsNewSegment()
    {
        var device = new MemoryStorageDevice();
        var (wal, _) = WalHarness.Open(device, segmentBytes: 150);
        wal.Append(1, new byte[50]);
        wal.Flush(sync: true);
        Assert.Equal(1, wal.CurrentSegment); // 16 + 59 + a 25-byte flush marker = 100 bytes: below the threshold
        wal.Append(2, new byte[50]);
        wal.Flush(sync: true);
        Assert.Equal(1, wal.CurrentSegment); // 184 bytes: over it, but flushes are never split
        wal.Append(3, new byte[500]);
        wal.Flush(sync: true);
        Assert.Equal(2, wal.CurrentSegment); // a record bigger than a segment still goes whole
        wal.Append(4, "x"u8);
        wal.Flush(sync: true);
        wal.Dispose();

        Assert.Equal(["00000000000000000001.wal", "00000000000000000002.wal", "00000000000000000003.wal"], device.ListFiles("wal"));
        Assert.Equal([1, 2, 3, 4], WalHarness.Replay(device).Select(r => (int)r.Type));
    }

    [Fact]
    public void RollSegment_WithPendingRecords_FlushesThemIntoOldSegment()
    {
        var device = new MemoryStorageDevice();
        var (wal, _) = WalHarness.Open(device);
        wal.Append(1, "before"u8);
        var next = wal.RollSegment();
        wal.Append(2, "after"u8);
        wal.Flush(sync: true);
        wal.Dispose();

        Assert.Equal(2, next);
        Assert.Equal([new Rec(1, "before"u8.ToArray()), new Rec(2, "after"u8.ToArray())], WalHarness.Replay(device));
        Assert.Equal([new Rec(2, "after"u8.ToArray())], WalHarness.Replay(device, fromSegment: next));
    }

    [Fact]
    public void Open_FromSegmentAfterDeleteSegmentsBefore_ReplaysOnlyNewerSegments()
    {
        var device = new MemoryStorageDevice();
        var (wal, _) = WalHarness.Open(device);
        wal.Append(1, "old"u8);
        var cover = wal.RollSegment();
        wal.Append(2, "new"u8);
        wal.Flush(sync: true);
        wal.DeleteSegmentsBefore(cover);
        wal.Dispose();

        Assert.Equal(["00000000000000000002.wal"], device.ListFiles("wal"));
        var (reopened, replayed) = WalHarness.Open(device, fromSegment: cover);
        Assert.Equal([new Rec(2, "new"u8.ToArray())], replayed);
        Assert.Equal(2, reopened.CurrentSegment);
        reopened.Dispose();
    }

    [Fact]
    public void Open_NoSegmentsAtOrAfterFromSegment_CreatesThatSegment()
    {
        var device = new MemoryStorageDevice();
        var (wal, replayed) = WalHarness.Open(device, fromSegment: 7);
        Assert.Empty(replayed);
        Assert.Equal(7, wal.CurrentSegment);
        wal.Dispose();
        Assert.Equal(["00000000000000000007.wal"], device.ListFiles("wal"));
    }

    [Fact]
    public void DeleteSegmentsBefore_BeyondCurrentSegment_Throws()
    {
        var (wal, _) = WalHarness.Open(new MemoryStorageDevice());
        Assert.Throws<ArgumentOutOfRangeException>(() => wal.DeleteSegmentsBefore(2));
        wal.Dispose();
    }
}
