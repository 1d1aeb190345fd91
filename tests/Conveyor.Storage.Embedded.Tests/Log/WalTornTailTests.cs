using Conveyor.Storage.Embedded.Device;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Log;

public sealed class WalTornTailTests
{
    private const string Segment = "wal/00000000000000000001.wal";

    [Fact]
    public void Open_LastRecordCutAtEveryByte_TruncatesToPreviousRecordAndAppendsAgain()
    {
        var records = new[] { WalHarness.Make(1, 5), WalHarness.Make(2, 40), WalHarness.Make(3, 23) };
        var template = new MemoryStorageDevice();
        var (wal, _) = WalHarness.Open(template);
        foreach (var record in records[..2])
        {
            wal.Append(record);
        }

        wal.Flush(sync: true);
        var lastStart = wal.CurrentSegmentLength;
        wal.Append(records[2]);
        wal.Flush(sync: true);
        var end = wal.CurrentSegmentLength;
        wal.Dispose();
        var bytes = template.ReadAll(Segment);

        for (var cut = lastStart; cut < end; cut++)
        {
            var device = new MemoryStorageDevice();
            using (var file = device.Create(Segment))
            {
                file.Write(bytes.AsSpan(0, (int)cut));
            }

            var logger = new CapturingLogger();

            var (reopened, replayed) = WalHarness.Open(device, logger: logger);

            Assert.Equal(records[..2], replayed);
            Assert.Equal(lastStart, device.GetLength(Segment));
            // Dropped bytes are counted to the last non-zero one (zeros at the end may be preallocated space).
            var data = bytes.AsSpan((int)lastStart, (int)(cut - lastStart));
            Assert.Equal(data.LastIndexOfAnyExcept((byte)0) + 1, reopened.TruncatedBytes);
            if (reopened.TruncatedBytes > 0)
            {
                var warning = Assert.Single(logger.Lines, l => l.Level == LogLevel.Warning);
                Assert.Contains(Segment, warning.Message, StringComparison.Ordinal);
                Assert.Contains($"offset {lastStart}", warning.Message, StringComparison.Ordinal);
            }
            reopened.Append(4, "after"u8);
            reopened.Flush(sync: true);
            reopened.Dispose();
            Assert.Equal([.. records[..2], new Rec(4, "after"u8.ToArray())], WalHarness.Replay(device));
        }
    }

    [Fact]
    public void Open_TornWriteKeepingSomeUnsyncedBytes_RecoversSyncedRecords()
    {
        var lost = "lost in the crash"u8.ToArray();
        for (var keep = 1; keep < 9 + lost.Length; keep++) // a whole frame kept would be a valid record
        {
            var device = new MemoryStorageDevice();
            var (wal, _) = WalHarness.Open(device);
            wal.Append(1, "durable"u8);
            wal.Flush(sync: true);
            wal.Append(2, lost);
            wal.Flush(sync: false);
            device.SimulateCrash(keepUnsyncedBytes: keep);

            var (reopened, replayed) = WalHarness.Open(device);
            Assert.Equal([new Rec(1, "durable"u8.ToArray())], replayed);
            reopened.Dispose();
        }
    }

    [Fact]
    public void Open_LastSegmentWithGarbageHeaderAndNoRecords_IsRepaired()
    {
        var device = new MemoryStorageDevice();
        var (wal, _) = WalHarness.Open(device);
        wal.Append(1, "one"u8);
        wal.RollSegment();
        wal.Dispose();
        WalHarness.Cut(device, "wal/00000000000000000002.wal", 5);

        var (reopened, replayed) = WalHarness.Open(device);
        Assert.Equal([new Rec(1, "one"u8.ToArray())], replayed);
        reopened.Append(2, "two"u8);
        reopened.Flush(sync: true);
        reopened.Dispose();
        Assert.Equal(2, WalHarness.Replay(device).Count);
    }
}
