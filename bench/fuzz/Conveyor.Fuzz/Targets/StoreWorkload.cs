using System.Text;
using Conveyor.Broker;
using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded;
using Conveyor.Storage.Embedded.Device;
using Conveyor.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Conveyor.Fuzz.Targets;

/// <summary>
/// Makes the seed files of the storage targets the honest way: a real store on an in-memory device runs a workload
/// that writes every record type, then its WAL segment and snapshot are read back as bytes.
/// </summary>
internal static class StoreWorkload
{
    /// <summary>The device after the workload; <paramref name="snapshot"/> takes a snapshot on close.</summary>
    public static MemoryStorageDevice Run(bool snapshot, bool flush)
    {
        var device = new MemoryStorageDevice { CanPreallocate = false };
        var time = new FakeTimeProvider();
        var store = EmbeddedJobStore.Open(
            new EmbeddedStoreOptions { Durability = DurabilityMode.None, SnapshotOnClose = snapshot, SegmentBytes = 1 << 20 },
            new JobStoreSettings { Time = time, Random = new Random(7) },
            device);
        var broker = new JobBroker(store, time, Options.Create(new BrokerOptions()), NullLogger<JobBroker>.Instance);
        RunAsync(broker, time, flush).AsTask().GetAwaiter().GetResult();
        broker.DisposeAsync().AsTask().GetAwaiter().GetResult();
        store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return device;
    }

    private static async ValueTask RunAsync(JobBroker broker, FakeTimeProvider time, bool flush)
    {
        var args = Encoding.UTF8.GetBytes("""[1,"two",{"three":3}]""");
        await broker.EnqueueAsync(new JobSpec { Type = "email", Args = args, Tags = ["t1"], Meta = new Dictionary<string, string> { ["k"] = "v" } });
        await broker.EnqueueAsync(new JobSpec { Id = "order-42", Type = "bill", Queue = "billing", Priority = 2, UniqueKey = "u1", UniqueForSeconds = 60 });
        await broker.EnqueueBatchAsync(
        [
            new JobSpec { Type = "later", RunAt = time.GetUtcNow().AddHours(1), Backoff = Backoff.Fixed(5) },
            new JobSpec { Type = "once", Dead = false, MaxAttempts = 1 },
            new JobSpec { Type = "retry", MaxAttempts = 3 },
            new JobSpec { Type = "victim", Queue = "purged" },
        ]);
        var leased = await broker.FetchAsync(["default", "billing"], 10, TimeSpan.Zero, "worker-1");
        foreach (var job in leased)
        {
            if (job.Type == "email")
            {
                await broker.AckAsync(job.Id, job.Lease!.Token);
            }
            else if (job.Type is "once" or "retry")
            {
                await broker.FailAsync(new JobFail(job.Id, job.Lease!.Token, "Boom", "it failed", ["at A()", "at B()"], TimeSpan.FromSeconds(1)));
            }
            else if (job.Type == "bill")
            {
                await broker.HeartbeatAsync(new JobHeartbeat(job.Id, job.Lease!.Token, TimeSpan.FromSeconds(90)));
            }
        }

        await broker.PauseQueueAsync("billing");
        await broker.ResumeQueueAsync("billing");
        await broker.PurgeQueueAsync("purged");
        time.Advance(TimeSpan.FromHours(2));
        await broker.RunMaintenanceOnceAsync();
        var scheduled = await broker.EnqueueAsync(new JobSpec { Type = "far", RunAt = time.GetUtcNow().AddDays(1) });
        await broker.KillAsync([scheduled.Id]);
        await broker.RequeueAsync([scheduled.Id]);
        var cancelled = await broker.EnqueueAsync(new JobSpec { Type = "cancel-me" });
        await broker.CancelAsync(cancelled.Id);
        await broker.RetryAsync(cancelled.Id);
        await broker.DiscardAsync([cancelled.Id]);
        if (flush)
        {
            await broker.FlushAsync();
            await broker.EnqueueAsync(new JobSpec { Type = "after-flush" });
        }
    }
}
