using BenchmarkDotNet.Attributes;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded;

namespace Conveyor.Benchmarks;

/// <summary>
/// The embedded store's operations through its public API: every operation encodes its event and appends it to the
/// log (group commit), which <see cref="RecordBenchmarks"/> and <see cref="WalBenchmarks"/> measure on their own.
/// <see cref="Durability"/> None isolates the writer loop and codec (the log still writes, without an fsync); Sync adds
/// one fsync per commit.
/// </summary>
[MemoryDiagnoser]
public class StoreBenchmarks
{
    private const int Batch = 100;

    private readonly JobSpec job = new() { Type = "bench.noop", Queue = "bench", Args = "[]"u8.ToArray() };
    private string directory = "";
    private EmbeddedJobStore store = null!;
    private JobSpec[] batch = [];

    [Params(DurabilityMode.None, DurabilityMode.Sync)]
    public DurabilityMode Durability { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        directory = Path.Combine(Path.GetTempPath(), "conveyor-bdn-" + Guid.NewGuid().ToString("N"));
        store = EmbeddedJobStore.Open(new EmbeddedStoreOptions { DataDirectory = directory, Durability = Durability, SnapshotOnClose = false }, new JobStoreSettings());
        batch = Enumerable.Repeat(job, Batch).ToArray();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await store.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>One job: one event encoded, one log append, one commit.</summary>
    [Benchmark]
    public async Task<EnqueueResult> Enqueue_One() => await store.EnqueueAsync(new JobEnqueue([job]));

    /// <summary>A hundred jobs in one event and one commit.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task<EnqueueResult> Enqueue_Batch100_PerJob() => await store.EnqueueAsync(new JobEnqueue(batch));

    /// <summary>The worker's round: enqueue 100, fetch them (lease event), settle them (ack event); per job.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task<int> EnqueueFetchSettle_Batch100_PerJob()
    {
        await store.EnqueueAsync(new JobEnqueue(batch));
        var leased = await store.FetchAsync(new JobFetch(["bench"], Batch, "w1"));
        var acks = leased.Select(j => new JobAck(j.Id, j.Lease!.Token)).ToArray();
        var settled = await store.SettleAsync(new JobSettle(acks, []));
        return settled.Count;
    }
}
