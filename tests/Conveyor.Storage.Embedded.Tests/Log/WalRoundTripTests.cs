using System.Buffers;
using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Log;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Log;

public sealed class WalRoundTripTests
{
    [Fact]
    public void Open_AfterManyFlushesOfVariedRecords_ReplaysSameSequence()
    {
        var device = new MemoryStorageDevice();
        var written = new List<Rec>();
        var (wal, replayed) = WalHarness.Open(device);
        Assert.Empty(replayed);
        int[] sizes = [0, 1, 7, 8, 9, 100, 4096, 70_000, 3];
        for (var i = 0; i < 300; i++)
        {
            var record = WalHarness.Make(i, sizes[i % sizes.Length]);
            wal.Append(record);
            written.Add(record);
            if (i % 17 == 0)
            {
                wal.Flush(sync: i % 2 == 0);
            }
        }
        wal.Flush(sync: true);
        wal.Dispose();

        var (reopened, again) = WalHarness.Open(device);
        Assert.Equal(written, again);
        Assert.Equal(300, reopened.RecoveredRecords);
        Assert.Equal(0, reopened.TruncatedBytes);
        reopened.Dispose();
    }

    [Fact]
    public void BeginRecord_PayloadWrittenIntoBuffer_ReplaysLikeAppend()
    {
        var device = new MemoryStorageDevice();
        var (wal, _) = WalHarness.Open(device);
        var writer = wal.BeginRecord(9);
        writer.Write("hello "u8);
        var span = writer.GetSpan(100_000);
        span[..100_000].Fill(0x5A);
        writer.Advance(100_000);
        wal.EndRecord();
        wal.Append(2, "after"u8);
        wal.Flush(sync: true);
        wal.Dispose();

        var replayed = WalHarness.Replay(device);
        Assert.Equal([new Rec(9, [.. "hello "u8, .. Enumerable.Repeat((byte)0x5A, 100_000)]), new Rec(2, "after"u8.ToArray())], replayed);
    }

    [Fact]
    public void AbortRecord_OpenRecord_LeavesNoTrace()
    {
        var device = new MemoryStorageDevice();
        var (wal, _) = WalHarness.Open(device);
        wal.Append(1, "keep"u8);
        wal.BeginRecord(2).Write("half-encoded"u8);
        wal.AbortRecord();
        wal.Flush(sync: true);
        wal.Dispose();

        Assert.Equal([new Rec(1, "keep"u8.ToArray())], WalHarness.Replay(device));
    }

    [Fact]
    public void Flush_WithRecordOpen_Throws()
    {
        var (wal, _) = WalHarness.Open(new MemoryStorageDevice());
        wal.BeginRecord(1);
        Assert.Throws<InvalidOperationException>(() => wal.Flush(sync: false));
        Assert.Throws<InvalidOperationException>(() => wal.Append(1, "x"u8));
        wal.Dispose();
    }

    [Fact]
    public void Append_TypeZero_Throws()
    {
        var (wal, _) = WalHarness.Open(new MemoryStorageDevice());
        Assert.Throws<ArgumentOutOfRangeException>(() => wal.Append(0, "x"u8));
        wal.Dispose();
    }

    [Fact]
    public void Flush_SyncAfterUnsyncedFlushes_SyncsOnceAndCounts()
    {
        var device = new MemoryStorageDevice();
        var (wal, _) = WalHarness.Open(device);
        wal.Append(1, "a"u8);
        wal.Flush(sync: false);
        wal.Append(1, "b"u8);
        wal.Flush(sync: false);
        Assert.Equal(0, wal.SyncCount);
        wal.Flush(sync: true);
        wal.Flush(sync: true);
        Assert.Equal(1, wal.SyncCount);
        Assert.Equal(2 * (10 + WalFormat.FlushMarkerSize), wal.BytesWritten);
        wal.Dispose();

        device.SimulateCrash();
        Assert.Equal(2, WalHarness.Replay(device).Count);
    }
}
