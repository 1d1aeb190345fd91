using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Log;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Log;

/// <summary>
/// Version 2 segments close every flush with a marker, so recovery replays a flush whole or not at all: a power cut
/// that persisted the last flush's pages out of order leaves a hole that is dropped with its flush, not reported as
/// corruption, while a hole in data a later marker records as durable (damage to fsynced data) still stops the open.
/// </summary>
public sealed class WalFlushMarkerTests
{
    private const string First = "wal/00000000000000000001.wal";
    private const int Page = 4096;
    private const long SegmentBytes = 1 << 20;

    private static readonly Rec Durable = WalHarness.Make(1, 100);

    [Fact]
    public void Open_PowerCutLostAnyOnePageOfTheLastFlush_DropsThatFlushWhole()
    {
        var (_, flushStart, end) = WriteDurableThenUnsyncedFlush(new MemoryStorageDevice());
        Assert.True(end - flushStart > 3 * Page);
        for (var lost = flushStart / Page * Page; lost < end; lost += Page)
        {
            var device = new MemoryStorageDevice();
            WriteDurableThenUnsyncedFlush(device);
            var lostPage = lost;
            device.SimulatePowerCut((_, page) => page != lostPage);
            var logger = new CapturingLogger();

            var (reopened, replayed) = WalHarness.Open(device, SegmentBytes, logger: logger);

            Assert.Equal([Durable], replayed);
            Assert.True(reopened.TruncatedBytes > 0);
            var warning = Assert.Single(logger.Lines, l => l.Level == LogLevel.Warning);
            Assert.Contains($"offset {flushStart}", warning.Message, StringComparison.Ordinal);
            reopened.Append(2, "after"u8);
            reopened.Flush(sync: true);
            reopened.Dispose();
            Assert.Equal([Durable, new Rec(2, "after"u8.ToArray())], WalHarness.Replay(device));
        }
    }

    [Fact]
    public void Open_PowerCutKeptEveryPageOfTheLastFlush_ReplaysItWhole()
    {
        var device = new MemoryStorageDevice();
        var (flush, _, _) = WriteDurableThenUnsyncedFlush(device);
        device.SimulatePowerCut((_, _) => true);

        var (reopened, replayed) = WalHarness.Open(device, SegmentBytes);

        Assert.Equal([Durable, .. flush], replayed);
        Assert.Equal(0, reopened.TruncatedBytes);
        reopened.Dispose();
    }

    [Fact]
    public void Open_LastFlushWhoseMarkerIsMissing_IsNotReplayed()
    {
        var device = new MemoryStorageDevice();
        var (_, flushStart, end) = WriteDurableThenUnsyncedFlush(device);
        WalHarness.Clobber(device, First, end - WalFormat.FlushMarkerSize, new byte[WalFormat.FlushMarkerSize]);

        var (reopened, replayed) = WalHarness.Open(device, SegmentBytes);

        Assert.Equal([Durable], replayed);
        Assert.Equal(end - WalFormat.FlushMarkerSize - flushStart, reopened.TruncatedBytes);
        reopened.Dispose();
    }

    [Fact]
    public void Open_HoleInSyncedDataThatALaterFlushFollows_IsCorruptionNamingTheDamagedRecord()
    {
        var device = new MemoryStorageDevice();
        var damaged = WriteThreeFlushes(device, syncLater: true);
        WalHarness.Clobber(device, First, damaged + 1000, new byte[100]);

        var ex = Assert.Throws<WalCorruptionException>(() => WalHarness.Open(device, SegmentBytes));

        Assert.Equal((First, damaged), (ex.FileName, ex.Offset));
        Assert.Contains("records as durable", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_HoleInUnsyncedFlushThatAnUnsyncedFlushFollows_DropsBoth()
    {
        // Without an fsync per flush (interval or none durability) a power cut may keep a later flush and lose a
        // page of an earlier one; neither was durable, so both go and the open succeeds.
        var device = new MemoryStorageDevice();
        var flushStart = WriteThreeFlushes(device, syncLater: false);
        device.SimulatePowerCut((_, page) => page != flushStart / Page * Page + Page);

        var (reopened, replayed) = WalHarness.Open(device, SegmentBytes);

        Assert.Equal([Durable], replayed);
        Assert.True(reopened.TruncatedBytes > 0);
        reopened.Dispose();
    }

    [Fact]
    public void Open_AnyFlushesSyncedOrNotThenAPowerCutLosingAnyPages_RecoversWholeFlushesAndEverySyncedOne()
    {
        var random = new Random(5);
        int torn = 0, unsyncedKept = 0;
        for (var round = 0; round < 300; round++)
        {
            var device = new MemoryStorageDevice();
            var (wal, _) = WalHarness.Open(device, SegmentBytes);
            var flushes = new List<Rec[]>();
            var synced = 0;
            for (var f = random.Next(1, 12); f > 0; f--)
            {
                var flush = Enumerable.Range(0, random.Next(1, 5))
                    .Select(_ => new Rec((byte)random.Next(1, WalFormat.FlushMarkerType), RandomBytes(random, random.Next(0, 7000))))
                    .ToArray();
                foreach (var record in flush)
                {
                    wal.Append(record);
                }

                var sync = random.Next(3) == 0;
                wal.Flush(sync);
                flushes.Add(flush);
                if (sync)
                {
                    synced = flushes.Count;
                }
            }
            wal.Dispose();
            var lossRate = random.NextDouble();
            device.SimulatePowerCut((_, _) => random.NextDouble() >= lossRate);

            var (reopened, replayed) = WalHarness.Open(device, SegmentBytes);
            reopened.Dispose();

            var kept = Enumerable.Range(0, flushes.Count + 1).Single(n => flushes.Take(n).Sum(f => f.Length) == replayed.Count
                && replayed.SequenceEqual(flushes.Take(n).SelectMany(f => f)));
            Assert.True(kept >= synced, $"round {round}: {kept} whole flushes recovered, {synced} were synced");
            torn += reopened.TruncatedBytes > 0 ? 1 : 0;
            unsyncedKept += kept > synced ? 1 : 0;
        }

        // The rounds covered both outcomes: flushes dropped at a hole, and unsynced flushes the cut happened to keep.
        Assert.True(torn > 30 && unsyncedKept > 30, $"{torn} torn, {unsyncedKept} with unsynced flushes kept");
    }

    [Fact]
    public void Open_AnyByteOfASyncedFlushBeforeTheLastDamaged_IsCorruptionNeverASilentCut()
    {
        // Only the last flush can be a torn write; damage anywhere before it is in data a later marker records as
        // durable, so it must stop the open (naming a point at or before the damage), whatever the byte.
        var random = new Random(9);
        for (var round = 0; round < 300; round++)
        {
            var device = new MemoryStorageDevice();
            var (wal, _) = WalHarness.Open(device, SegmentBytes);
            var ends = new List<long>();
            for (var f = random.Next(2, 8); f > 0; f--)
            {
                for (var r = random.Next(1, 4); r > 0; r--)
                {
                    wal.Append(new Rec((byte)random.Next(1, WalFormat.FlushMarkerType), RandomBytes(random, random.Next(0, 3000))));
                }

                wal.Flush(sync: true);
                ends.Add(wal.CurrentSegmentLength);
            }
            wal.Dispose();
            var at = random.NextInt64(WalFormat.SegmentHeaderSize, ends[^2]);
            var original = device.ReadAll(First)[at];
            WalHarness.Clobber(device, First, at, (byte)(original ^ (1 << random.Next(8))));

            var ex = Assert.Throws<WalCorruptionException>(() => WalHarness.Open(device, SegmentBytes));

            Assert.Equal(First, ex.FileName);
            Assert.InRange(ex.Offset, WalFormat.SegmentHeaderSize, at);
        }
    }

    [Fact]
    public void Open_MarkerThatDoesNotCloseTheFlushBeforeIt_IsCorruption()
    {
        var device = new MemoryStorageDevice();
        var (wal, _) = WalHarness.Open(device, SegmentBytes);
        wal.Append(Durable);
        wal.Flush(sync: true);
        wal.Append(WalHarness.Make(2, 10));
        wal.Flush(sync: true);
        var marker = wal.CurrentSegmentLength - WalFormat.FlushMarkerSize;
        wal.Dispose();
        var wrong = new byte[WalFormat.FlushMarkerSize];
        WalFormat.WriteFlushMarker(wrong, new FlushMarker(WalFormat.SegmentHeaderSize, WalFormat.SegmentHeaderSize));
        WalHarness.Clobber(device, First, marker, wrong);

        var ex = Assert.Throws<WalCorruptionException>(() => WalHarness.Open(device, SegmentBytes));

        Assert.Equal((First, marker), (ex.FileName, ex.Offset));
    }

    [Fact]
    public void Open_SegmentThatIsNotTheLastEndingWithoutAMarker_IsCorruption()
    {
        var device = new MemoryStorageDevice();
        var (wal, _) = WalHarness.Open(device, SegmentBytes);
        wal.Append(Durable);
        wal.Flush(sync: true);
        var flushStart = wal.CurrentSegmentLength;
        wal.Append(WalHarness.Make(2, 10));
        wal.RollSegment();
        wal.Append(WalHarness.Make(3, 10));
        wal.Flush(sync: true);
        wal.Dispose();
        WalHarness.Cut(device, First, device.GetLength(First) - WalFormat.FlushMarkerSize);

        var ex = Assert.Throws<WalCorruptionException>(() => WalHarness.Open(device, SegmentBytes));

        Assert.Equal((First, flushStart), (ex.FileName, ex.Offset));
    }

    [Fact]
    public void Open_VersionOneLastSegment_ReplaysItAndWritesOnInANewSegmentOfTheCurrentVersion()
    {
        var device = new MemoryStorageDevice();
        var old = new[] { WalHarness.Make(1, 10), WalHarness.Make(2, 300) };
        WriteVersionOneSegment(device, 1, old, preallocateTo: 8192);

        ReplaysAndWritesOnInSegmentTwo(device, old);
        Assert.Equal(WalFormat.CurrentVersion, WalFormat.ReadSegmentVersion(device.ReadAll("wal/00000000000000000002.wal"), 2));
        // The old segment was cut to its records and got no marker.
        Assert.Equal(WalFormat.SegmentHeaderSize + old.Sum(r => WalFormat.RecordHeaderSize + r.Payload.Length), device.GetLength(First));
    }

    [Fact]
    public void Open_VersionTwoLastSegment_ReplaysItAndWritesOnInANewVersionThreeSegment()
    {
        // Version 3 changed no framing, only what record payloads may hold (ids as 16-byte values): a version 2 segment
        // is the same bytes under a CNVWAL02 header, and it must not be appended to, or a binary from before version 3
        // would misread the new records instead of refusing the segment.
        var device = new MemoryStorageDevice();
        var old = new[] { WalHarness.Make(1, 10), WalHarness.Make(2, 300) };
        var (first, _) = WalHarness.Open(device, SegmentBytes);
        foreach (var record in old)
        {
            first.Append(record);
        }

        first.Flush(sync: true);
        first.Dispose();
        WalHarness.Clobber(device, First, 7, (byte)'2');
        Assert.Equal(2, WalFormat.ReadSegmentVersion(device.ReadAll(First), 1));

        ReplaysAndWritesOnInSegmentTwo(device, old);
        Assert.Equal(2, WalFormat.ReadSegmentVersion(device.ReadAll(First), 1));
        Assert.Equal(3, WalFormat.ReadSegmentVersion(device.ReadAll("wal/00000000000000000002.wal"), 2));
    }

    [Fact]
    public void Open_SegmentOfANewerVersion_RefusedNamingTheVersionNotDamage()
    {
        // What a downgraded binary meets: records it could frame, under a header of a version it does not know.
        var device = new MemoryStorageDevice();
        var (first, _) = WalHarness.Open(device, SegmentBytes);
        first.Append(WalHarness.Make(1, 10));
        first.Flush(sync: true);
        first.Dispose();
        WalHarness.Clobber(device, First, 6, (byte)'0', (byte)('0' + WalFormat.CurrentVersion + 1));
        var before = device.ReadAll(First);

        var ex = Assert.Throws<WalCorruptionException>(() => WalHarness.Open(device, SegmentBytes));

        Assert.Equal((First, 0L), (ex.FileName, ex.Offset));
        Assert.Contains($"segment format version {WalFormat.CurrentVersion + 1} is newer than this binary reads", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, device.ReadAll(First)); // left as it was, for the newer binary
    }

    [Fact]
    public void Open_VersionOneLastSegmentWithBadRecordBeforeAValidOne_KeepsTheOldRule()
    {
        var device = new MemoryStorageDevice();
        var old = new[] { WalHarness.Make(1, 10), WalHarness.Make(2, 10), WalHarness.Make(3, 10) };
        WriteVersionOneSegment(device, 1, old, preallocateTo: 0);
        var second = WalFormat.SegmentHeaderSize + WalFormat.RecordHeaderSize + 10;
        WalHarness.Clobber(device, First, second + 12, 0xFF);

        var ex = Assert.Throws<WalCorruptionException>(() => WalHarness.Open(device, SegmentBytes));

        Assert.Equal((First, (long)second), (ex.FileName, ex.Offset));
    }

    [Fact]
    public void Append_TheMarkersType_IsRefused()
    {
        var (wal, _) = WalHarness.Open(new MemoryStorageDevice(), SegmentBytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => wal.Append(WalFormat.FlushMarkerType, "x"u8));
        Assert.Throws<ArgumentOutOfRangeException>(() => wal.BeginRecord(WalFormat.FlushMarkerType));
        wal.Dispose();
    }

    /// <summary>One durable flush, then a flush of several pages written but never synced (never acknowledged).</summary>
    private static (Rec[] Flush, long FlushStart, long End) WriteDurableThenUnsyncedFlush(MemoryStorageDevice device)
    {
        var (wal, _) = WalHarness.Open(device, SegmentBytes);
        wal.Append(Durable);
        wal.Flush(sync: true);
        var flushStart = wal.CurrentSegmentLength;
        var flush = Enumerable.Range(2, 5).Select(i => WalHarness.Make(i, 3000)).ToArray();
        foreach (var record in flush)
        {
            wal.Append(record);
        }

        wal.Flush(sync: false);
        var end = wal.CurrentSegmentLength;
        wal.Dispose();
        return (flush, flushStart, end);
    }

    /// <summary>One durable flush, then a multi-page flush and a small one, fsynced or not; returns where the second began.</summary>
    private static long WriteThreeFlushes(MemoryStorageDevice device, bool syncLater)
    {
        var (wal, _) = WalHarness.Open(device, SegmentBytes);
        wal.Append(Durable);
        wal.Flush(sync: true);
        var second = wal.CurrentSegmentLength;
        wal.Append(WalHarness.Make(2, 6000));
        wal.Flush(syncLater);
        wal.Append(WalHarness.Make(3, 10));
        wal.Flush(syncLater);
        wal.Dispose();
        return second;
    }

    private static byte[] RandomBytes(Random random, int size)
    {
        var bytes = new byte[size];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Opens the log over <paramref name="old"/>'s segment: all of it replays, and a new record goes to segment 2.</summary>
    private static void ReplaysAndWritesOnInSegmentTwo(MemoryStorageDevice device, Rec[] old)
    {
        var (wal, replayed) = WalHarness.Open(device, SegmentBytes);
        Assert.Equal(old, replayed);
        Assert.Equal(2, wal.CurrentSegment);
        wal.Append(WalHarness.Make(3, 10));
        wal.Flush(sync: true);
        wal.Dispose();

        Assert.Equal([.. old, WalHarness.Make(3, 10)], WalHarness.Replay(device));
    }

    /// <summary>A segment as the previous format wrote it: <c>CNVWAL01</c>, records, no flush markers.</summary>
    private static void WriteVersionOneSegment(MemoryStorageDevice device, long index, Rec[] records, long preallocateTo)
    {
        var bytes = new List<byte>();
        bytes.AddRange("CNVWAL01"u8.ToArray());
        bytes.AddRange(BitConverter.GetBytes(index));
        foreach (var record in records)
        {
            var frame = new byte[WalFormat.RecordHeaderSize + record.Payload.Length];
            record.Payload.CopyTo(frame, WalFormat.RecordHeaderSize);
            WalFormat.SealRecord(frame, record.Type);
            bytes.AddRange(frame);
        }
        device.CreateDirectory(WalFormat.Directory);
        using var file = device.Create(WalFormat.SegmentPath(index), preallocateTo);
        file.WriteAt(0, bytes.ToArray());
        file.Sync();
        device.SyncDirectory(WalFormat.Directory);
    }
}
