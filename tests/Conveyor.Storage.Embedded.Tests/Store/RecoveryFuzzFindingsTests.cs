using Conveyor.Core.Retry;
using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.Log;
using Conveyor.Storage.Embedded.Snapshots;
using Conveyor.Storage.Embedded.State;
using Conveyor.Storage.Embedded.Writer;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Store;

/// <summary>
/// Found by the fuzzer (bench/fuzz, target wal): records whose CRC holds but that do not fit the table made recovery
/// throw <see cref="KeyNotFoundException"/> and <see cref="ArgumentException"/>, which nothing that opens a store expects.
/// They are corruption, refused as a payload that does not decode is.
/// </summary>
public sealed class RecoveryFuzzFindingsTests
{
    private static readonly WalOptions Options = new() { SegmentBytes = 1 << 20, DirectWrites = false };

    [Fact]
    public void Recover_EventNamingAJobNeverCreated_RefusesAsCorrupt()
    {
        var device = Log(new JobCancelled("never-created", 1));

        var ex = Assert.Throws<InvalidDataException>(() => Recover(device));

        Assert.Contains("never-created", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recover_JobCreatedTwice_RefusesAsCorrupt()
    {
        var device = Log(Enqueued("twice"), Enqueued("twice"));

        var ex = Assert.Throws<InvalidDataException>(() => Recover(device));

        Assert.Contains("twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recover_SameEventsWithoutTheFault_Loads()
    {
        var device = Log(Enqueued("once"), new JobCancelled("once", 2));

        var (table, log) = Recover(device);
        log.Dispose();

        Assert.Equal(1, table.JobCount);
    }

    private static JobsEnqueued Enqueued(string id) =>
        new(1, [new NewJob(id, "default", "t", "[]"u8.ToArray(), 5, 3, 60, 0, null, 0, [], [], Backoff.Exponential)]);

    /// <summary>A WAL holding <paramref name="events"/>, one flush each, as the writer frames them.</summary>
    private static MemoryStorageDevice Log(params StoreEvent[] events)
    {
        var device = new MemoryStorageDevice { CanPreallocate = false };
        using var wal = WriteAheadLog.Open(device, Options, NullLogger.Instance, 0, (_, _) => { });
        foreach (var e in events)
        {
            EventCodec.Encode(e, wal.BeginRecord((byte)e.Type));
            wal.EndRecord();
            wal.Flush(sync: true);
        }

        return device;
    }

    private static (JobTable Table, WriteAheadLog Log) Recover(MemoryStorageDevice device) =>
        StoreRecovery.Recover(device, new SnapshotFiles(device), Options, NullLogger.Instance);
}
