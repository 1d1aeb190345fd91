using Conveyor.Storage.Embedded.Device;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Log;

public sealed class WalFaultTests
{
    private static readonly Rec A = new(1, "a: synced"u8.ToArray());
    private static readonly Rec B = new(2, "b: the failed batch"u8.ToArray());
    private static readonly Rec C = new(3, "c: after recovery"u8.ToArray());

    [Fact]
    public void SimulateCrash_UnsyncedFlush_OnlySyncedRecordsSurvive()
    {
        var device = new MemoryStorageDevice();
        var (wal, _) = WalHarness.Open(device);
        wal.Append(A);
        wal.Flush(sync: true);
        wal.Append(B);
        wal.Flush(sync: false);
        device.SimulateCrash();

        Assert.Equal([A], WalHarness.Replay(device));
    }

    [Fact]
    public void Flush_FsyncFails_ThrowsAndBatchNeverReplaysAndLaterFlushesWork()
    {
        var device = new MemoryStorageDevice();
        var (wal, _) = WalHarness.Open(device);
        wal.Append(A);
        wal.Flush(sync: true);

        device.FailSync = true;
        wal.Append(B);
        Assert.Throws<IOException>(() => wal.Flush(sync: true));
        Assert.Equal(0, wal.PendingRecords);

        device.FailSync = false;
        wal.Append(C);
        wal.Flush(sync: true);
        Assert.Equal([A, C], WalHarness.Replay(device));
        device.SimulateCrash();
        Assert.Equal([A, C], WalHarness.Replay(device));
    }

    [Fact]
    public void Flush_FsyncFailsAfterUnsyncedFlush_NeverTrustsThoseBytesEither()
    {
        var device = new MemoryStorageDevice();
        var (wal, _) = WalHarness.Open(device);
        wal.Append(A);
        wal.Flush(sync: false);
        device.FailSync = true;
        Assert.Throws<IOException>(() => wal.Flush(sync: true));
        device.FailSync = false;
        wal.Append(C);
        wal.Flush(sync: true);
        device.SimulateCrash();

        Assert.Equal([C], WalHarness.Replay(device));
    }

    [Fact]
    public void Flush_DiskFull_ThrowsKeepsEarlierDataAndResumesWhenSpaceReturns()
    {
        var device = new MemoryStorageDevice { CanPreallocate = false };
        var (wal, _) = WalHarness.Open(device);
        wal.Append(A);
        wal.Flush(sync: true);
        device.CapacityBytes = device.UsedBytes + 10;

        wal.Append(B);
        var ex = Assert.Throws<IOException>(() => wal.Flush(sync: true));
        Assert.Contains("No space left on device", ex.InnerException?.Message, StringComparison.Ordinal);
        Assert.Equal([A], WalHarness.Replay(device));

        device.CapacityBytes = null;
        wal.Append(C);
        wal.Flush(sync: true);
        wal.Dispose();
        device.SimulateCrash();
        Assert.Equal([A, C], WalHarness.Replay(device));
    }

    [Fact]
    public void Flush_DiskFullWhileRollingSegment_StaysOnOldSegmentAndRollsLater()
    {
        var device = new MemoryStorageDevice();
        var (wal, _) = WalHarness.Open(device, segmentBytes: 20);
        wal.Append(A);
        wal.Flush(sync: true);
        device.CapacityBytes = device.UsedBytes + 4; // not even room for the next segment's header

        wal.Append(B);
        Assert.Throws<IOException>(() => wal.Flush(sync: true));
        Assert.Equal(1, wal.CurrentSegment);

        device.CapacityBytes = null;
        wal.Append(C);
        wal.Flush(sync: true);
        Assert.Equal(2, wal.CurrentSegment);
        wal.Dispose();
        device.SimulateCrash();
        Assert.Equal([A, C], WalHarness.Replay(device));
    }

    [Fact]
    public void Flush_RollBackAlsoFails_NextFlushRemovesPartialBatchFirst()
    {
        var device = new MemoryStorageDevice { CanPreallocate = false };
        var (wal, _) = WalHarness.Open(device);
        wal.Append(A);
        wal.Flush(sync: true);
        device.CapacityBytes = device.UsedBytes + 10; // B is written in part, then the disk is full
        device.FailTruncate = true;

        wal.Append(B);
        Assert.Throws<IOException>(() => wal.Flush(sync: true));
        device.CapacityBytes = null;
        device.FailTruncate = false;
        wal.Append(C);
        wal.Flush(sync: true);
        wal.Dispose();

        Assert.Equal([A, C], WalHarness.Replay(device));
    }

    [Fact]
    public void Flush_DiskFullInsidePreallocatedSegment_StillWrites()
    {
        var device = new MemoryStorageDevice();
        var (wal, _) = WalHarness.Open(device, segmentBytes: 4096);
        wal.Append(A);
        wal.Flush(sync: true);
        device.CapacityBytes = device.UsedBytes;

        wal.Append(B);
        wal.Flush(sync: true);
        wal.Dispose();

        Assert.Equal(4096, device.GetLength("wal/00000000000000000001.wal"));
        Assert.Equal([A, B], WalHarness.Replay(device));
    }
}
