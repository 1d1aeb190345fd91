using System.Buffers.Binary;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Log;
using Conveyor.Storage.Embedded.Snapshots;
using Conveyor.Storage.Embedded.Writer;
using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Store;

/// <summary>
/// CsCheck properties of start-up recovery (the readers bench/fuzz fuzzes as targets wal and snapshot): a WAL segment
/// or a snapshot written by a real store, with bytes changed and maybe cut short, either loads or is refused with
/// the documented exception (<see cref="WalCorruptionException"/>, <see cref="SnapshotCorruptionException"/>, or
/// <see cref="InvalidDataException"/> for a record or body that does not decode). Resealed variants get their CRCs
/// (and flush markers) recomputed after the change, so the changes reach the event and body decoders.
/// </summary>
public sealed class RecoveryPropertyTests
{
    private static readonly WalOptions Options = new() { SegmentBytes = 1 << 20, DirectWrites = false };

    private static readonly Lazy<(byte[] Segment, byte[] Snapshot, string SnapshotName, int Jobs)> Written = new(Write);

    private static readonly Gen<(int Position, byte Value)[]> Edits = Gen.Select(Gen.Int[0, 1 << 16], Gen.Byte).Array[1, 4];

    [Fact]
    public void Recover_WrittenFiles_LoadEveryJob()
    {
        var (segment, snapshot, name, jobs) = Written.Value;

        Assert.Equal(jobs, RecoverWal(segment));
        Assert.Equal(jobs, RecoverSnapshot(snapshot, name));
    }

    [Fact]
    public void Recover_MutatedWalSegment_LoadsOrRefusesAsCorrupt()
    {
        Gen.Select(Edits, Gen.Bool, Gen.Int[0, 4]).Sample((edits, reseal, cut) =>
        {
            var segment = Mutate(Written.Value.Segment, edits, cut);
            if (reseal)
            {
                Reseal(segment);
            }

            LoadsOrRefuses(() => RecoverWal(segment));
        }, iter: 1_500);
    }

    [Fact]
    public void Recover_MutatedSnapshot_LoadsOrRefusesAsCorrupt()
    {
        Gen.Select(Edits, Gen.Bool, Gen.Int[0, 4]).Sample((edits, reseal, cut) =>
        {
            var snapshot = Mutate(Written.Value.Snapshot, edits, cut);
            if (reseal && snapshot.Length >= SnapshotFormat.HeaderSize)
            {
                var body = snapshot.AsSpan(SnapshotFormat.HeaderSize);
                BinaryPrimitives.WriteUInt64LittleEndian(snapshot.AsSpan(16), (ulong)body.Length);
                BinaryPrimitives.WriteUInt32LittleEndian(snapshot.AsSpan(24), Crc32C.Compute(body));
            }

            LoadsOrRefuses(() => RecoverSnapshot(snapshot, Written.Value.SnapshotName));
        }, iter: 1_500);
    }

    private static void LoadsOrRefuses(Func<int> recover)
    {
        try
        {
            _ = recover();
        }
        catch (Exception ex) when (ex is WalCorruptionException or SnapshotCorruptionException or InvalidDataException)
        {
        }
    }

    /// <summary>Edits past the header (so the file stays a file of its kind), and one time in five a cut.</summary>
    private static byte[] Mutate(byte[] original, (int Position, byte Value)[] edits, int cut)
    {
        var bytes = (byte[])original.Clone();
        foreach (var (position, value) in edits)
        {
            bytes[16 + (position % (bytes.Length - 16))] = value;
        }

        return cut == 0 ? bytes[..(16 + (edits[0].Position % (bytes.Length - 16)))] : bytes;
    }

    /// <summary>Recomputes each record's CRC and sets each flush marker to close its flush, as a writer would have.</summary>
    private static void Reseal(Span<byte> segment)
    {
        var offset = WalFormat.SegmentHeaderSize;
        var flushStart = offset;
        while (segment.Length - offset >= WalFormat.RecordHeaderSize)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(segment[offset..]);
            if (length > (uint)(segment.Length - offset - WalFormat.RecordHeaderSize) || segment[offset + 8] == 0)
            {
                return;
            }

            var frame = segment.Slice(offset, WalFormat.RecordHeaderSize + (int)length);
            if (frame[8] == WalFormat.FlushMarkerType && length == WalFormat.FlushMarkerPayloadSize)
            {
                WalFormat.WriteFlushMarker(frame, new FlushMarker(flushStart, flushStart));
                flushStart = offset + frame.Length;
            }
            else
            {
                WalFormat.SealRecord(frame, frame[8]);
            }

            offset += frame.Length;
        }
    }

    private static int RecoverWal(byte[] segment)
    {
        var device = new MemoryStorageDevice { CanPreallocate = false };
        Put(device, WalFormat.Directory, WalFormat.SegmentPath(1), segment);
        return Recover(device);
    }

    private static int RecoverSnapshot(byte[] snapshot, string name)
    {
        var device = new MemoryStorageDevice { CanPreallocate = false };
        Put(device, SnapshotFormat.Directory, SnapshotFormat.Directory + "/" + name, snapshot);
        return Recover(device);
    }

    private static int Recover(MemoryStorageDevice device)
    {
        var (table, log) = StoreRecovery.Recover(device, new SnapshotFiles(device), Options, NullLogger.Instance);
        log.Dispose();
        return table.JobCount;
    }

    private static void Put(MemoryStorageDevice device, string directory, string path, byte[] bytes)
    {
        device.CreateDirectory(directory);
        using var file = device.Create(path);
        file.Write(bytes);
        file.Sync();
        device.SyncDirectory(directory);
    }

    /// <summary>A real store's first WAL segment and, after it closed with a snapshot, that snapshot.</summary>
    private static (byte[] Segment, byte[] Snapshot, string SnapshotName, int Jobs) Write()
    {
        var device = new MemoryStorageDevice { CanPreallocate = false };
        var harness = new StoreHarness(DurabilityMode.Sync, device, segmentBytes: 1 << 20);
        var store = harness.Store;
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(harness.EnqueueAsync(StoreHarness.Job(i % 2 == 0 ? null : $"job-{i}", queue: i % 3 == 0 ? "a" : "b", runAt: i == 5 ? harness.Time.GetUtcNow().AddHours(1) : null)).GetAwaiter().GetResult());
        }

        var leased = store.FetchAsync(new JobFetch(["a", "b"], 3, "w1")).AsTask().GetAwaiter().GetResult();
        store.SettleAsync(new JobSettle(
            [new JobAck(leased[0].Key, leased[0].Lease!.Token)],
            [new JobFail(leased[1].Key, leased[1].Lease!.Token, "E", "failed", ["at x"], TimeSpan.FromSeconds(5))])).AsTask().GetAwaiter().GetResult();
        store.QueuePauseAsync(new QueuePause("b")).AsTask().GetAwaiter().GetResult();
        store.CancelAsync(new JobCancel(ids[4])).AsTask().GetAwaiter().GetResult();
        store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        var segment = device.ReadAll(WalFormat.SegmentPath(1));

        var withSnapshot = EmbeddedJobStore.Open(harness.Options, harness.Settings, device);
        withSnapshot.SnapshotAsync().AsTask().GetAwaiter().GetResult();
        withSnapshot.DisposeAsync().AsTask().GetAwaiter().GetResult();
        var name = device.ListFiles(SnapshotFormat.Directory).Single(n => n.EndsWith(SnapshotFormat.Extension, StringComparison.Ordinal));
        return (segment, device.ReadAll(SnapshotFormat.Directory + "/" + name), name, ids.Count);
    }
}
