using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Log;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Log;

/// <summary>Segments are preallocated: records overwrite zeros, and recovery tells the two apart.</summary>
public sealed class WalPreallocationTests
{
    private const long SegmentBytes = 4096;
    private const string First = "wal/00000000000000000001.wal";
    private const string Second = "wal/00000000000000000002.wal";

    [Fact]
    public void Flush_NewSegment_WritesInsideItsPreallocatedLength()
    {
        var device = new MemoryStorageDevice();
        var (wal, _) = WalHarness.Open(device, SegmentBytes);
        Assert.Equal(SegmentBytes, device.GetLength(First));

        wal.Append(WalHarness.Make(1, 100));
        wal.Flush(sync: true);

        Assert.Equal(SegmentBytes, device.GetLength(First));
        Assert.Equal(WalFormat.SegmentHeaderSize + WalFormat.RecordHeaderSize + 100 + WalFormat.FlushMarkerSize, wal.CurrentSegmentLength);
        wal.Dispose();
    }

    [Fact]
    public void Open_ZerosAfterLastRecord_AreACleanEndAndAppendsContinueThere()
    {
        var device = new MemoryStorageDevice();
        var wal = OpenWithOneRecord(device);
        var end = wal.CurrentSegmentLength;
        wal.Dispose();
        var logger = new CapturingLogger();

        var (reopened, replayed) = WalHarness.Open(device, SegmentBytes, logger: logger);

        Assert.Equal([WalHarness.Make(1, 10)], replayed);
        Assert.Equal(0, reopened.TruncatedBytes);
        Assert.Equal(end, reopened.CurrentSegmentLength);
        Assert.DoesNotContain(logger.Lines, l => l.Level >= LogLevel.Warning);
        reopened.Append(WalHarness.Make(2, 20));
        reopened.Flush(sync: true);
        reopened.Dispose();
        Assert.Equal([WalHarness.Make(1, 10), WalHarness.Make(2, 20)], WalHarness.Replay(device));
    }

    [Fact]
    public void Open_CrashAfterUnsyncedWriteIntoPreallocatedSpace_KeepsSyncedRecordsAndLength()
    {
        var device = new MemoryStorageDevice();
        var wal = OpenWithOneRecord(device);
        wal.Append(WalHarness.Make(2, 30));
        wal.Flush(sync: false);
        device.SimulateCrash();

        var (reopened, replayed) = WalHarness.Open(device, SegmentBytes);

        Assert.Equal([WalHarness.Make(1, 10)], replayed);
        Assert.Equal(0, reopened.TruncatedBytes);
        Assert.Equal(SegmentBytes, device.GetLength(First));
        reopened.Dispose();
    }

    [Fact]
    public void RollSegment_CutsTheUnusedSpaceOffTheOldSegment()
    {
        var device = new MemoryStorageDevice();
        var wal = OpenWithOneRecord(device);
        var end = wal.CurrentSegmentLength;

        wal.RollSegment();
        wal.Dispose();

        Assert.Equal(end, device.GetLength(First));
        Assert.Equal(SegmentBytes, device.GetLength(Second));
    }

    [Fact]
    public void Open_LastSegmentWithoutSpareSpace_StartsAPreallocatedOne()
    {
        var device = new MemoryStorageDevice { CanPreallocate = false };
        var wal = OpenWithOneRecord(device);
        wal.Dispose();
        device.CanPreallocate = true;

        var (reopened, replayed) = WalHarness.Open(device, SegmentBytes);
        reopened.Append(WalHarness.Make(2, 10));
        reopened.Flush(sync: true);
        reopened.Dispose();

        Assert.Equal([WalHarness.Make(1, 10)], replayed);
        Assert.Equal(2, reopened.CurrentSegment);
        Assert.Equal(SegmentBytes, device.GetLength(Second));
        Assert.Equal([WalHarness.Make(1, 10), WalHarness.Make(2, 10)], WalHarness.Replay(device));
    }

    [Fact]
    public void Open_PreallocatedLastSegmentWithoutHeader_GetsItsHeaderAndDropsNothing()
    {
        var device = new MemoryStorageDevice();
        var wal = OpenWithOneRecord(device);
        wal.RollSegment();
        wal.Dispose();
        // The crash came after the new segment's space was allocated and before its header was written.
        using (var torn = device.Create(Second, SegmentBytes))
        {
            torn.Sync();
        }

        var (reopened, replayed) = WalHarness.Open(device, SegmentBytes);
        reopened.Append(WalHarness.Make(2, 10));
        reopened.Flush(sync: true);
        reopened.Dispose();

        Assert.Equal([WalHarness.Make(1, 10)], replayed);
        Assert.Equal(0, reopened.TruncatedBytes);
        Assert.Equal(2, reopened.CurrentSegment);
        Assert.Equal([WalHarness.Make(1, 10), WalHarness.Make(2, 10)], WalHarness.Replay(device));
    }

    [Fact]
    public void Open_SegmentEndingInZerosThatIsNotTheLast_IsCorruption()
    {
        var device = new MemoryStorageDevice();
        var wal = OpenWithOneRecord(device);
        wal.Dispose();
        using (var second = device.Create(Second))
        {
            var header = new byte[WalFormat.SegmentHeaderSize];
            WalFormat.WriteSegmentHeader(header, 2);
            second.Write(header);
            second.Sync();
        }

        var ex = Assert.Throws<WalCorruptionException>(() => WalHarness.Open(device, SegmentBytes));
        Assert.Contains(First, ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Opens a log on the device and makes one 10-byte record (type 1) durable in it.</summary>
    private static WriteAheadLog OpenWithOneRecord(IStorageDevice device)
    {
        var (wal, _) = WalHarness.Open(device, SegmentBytes);
        wal.Append(WalHarness.Make(1, 10));
        wal.Flush(sync: true);
        return wal;
    }
}
