using System.Text;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Tests.Log;
using Conveyor.Testing;

namespace Conveyor.Storage.Embedded.Tests.Store;

/// <summary>An embedded store on an in-memory, fault-injecting device, with a fake clock.</summary>
internal sealed class StoreHarness : IAsyncDisposable
{
    private readonly int promoteBatch;

    public StoreHarness(DurabilityMode durability = DurabilityMode.Sync, MemoryStorageDevice? device = null, long segmentBytes = 64L << 20, int promoteBatch = JobDefaults.MaintenanceBatch)
    {
        this.promoteBatch = promoteBatch;
        Device = device ?? new MemoryStorageDevice();
        Options = new EmbeddedStoreOptions
        {
            Durability = durability, SnapshotOnClose = false, WriteRetryInterval = TimeSpan.Zero, SegmentBytes = segmentBytes,
        };
        Store = Open();
    }

    public MemoryStorageDevice Device { get; }

    public FakeTimeProvider Time { get; } = new();

    public EmbeddedStoreOptions Options { get; }

    public EmbeddedJobStore Store { get; private set; }

    public JobStoreSettings Settings => new() { Time = Time, Random = new Random(7), PromoteBatch = promoteBatch };

    /// <summary>What the store logged, across reopens.</summary>
    public CapturingLogger Logs { get; } = new();

    public EmbeddedJobStore Open() => EmbeddedJobStore.Open(Options, Settings, Device, Logs);

    /// <summary>Closes cleanly and opens again on the same device.</summary>
    public async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = Open();
    }

    /// <summary>Loses every unsynced byte, as a power cut would, and opens again.</summary>
    public Task CrashAndReopenAsync() => LoseAndReopenAsync(() => Device.SimulateCrash());

    /// <summary>A power cut that keeps only the unsynced 4 KiB pages <paramref name="keepsPage"/> picks, in any order; then opens again.</summary>
    public Task PowerCutAndReopenAsync(Func<string, long, bool> keepsPage) => LoseAndReopenAsync(() => Device.SimulatePowerCut(keepsPage));

    private async Task LoseAndReopenAsync(Action lose)
    {
        lose();
        try
        {
            // The old process is gone: its handles died with the crash, so closing it may fail.
            await Store.DisposeAsync();
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        Store = Open();
    }

    public static JobSpec Job(string? id = null, string queue = "q", int priority = 5, DateTimeOffset? runAt = null, int maxAttempts = 3) =>
        new() { Id = id, Queue = queue, Type = "t", Args = Encoding.UTF8.GetBytes($"[\"{id}\"]"), Priority = priority, RunAt = runAt, MaxAttempts = maxAttempts };

    public async Task<string> EnqueueAsync(JobSpec spec) => (await Store.EnqueueAsync(new JobEnqueue([spec]))).Jobs[0].Id;

    /// <summary>A canonical text of everything observable through the contract, to compare states.</summary>
    public static async Task<string> DumpAsync(IJobStore store)
    {
        var text = new StringBuilder();
        var page = await store.ListJobsAsync(new JobList(Limit: JobList.MaxLimit));
        foreach (var job in page.Jobs)
        {
            text.Append($"{job.Id} {job.Queue} {job.State} a{job.Attempt} run={job.RunAt:O} fin={job.FinishedAt:O} lease={job.Lease} ");
            text.Append($"args={Encoding.UTF8.GetString(job.Args.Span)} failures={string.Join('|', job.Failures.Select(f => $"{f.Attempt}:{f.ErrorType}:{f.Message}:{f.At:O}"))}\n");
        }

        foreach (var queue in await store.ListQueuesAsync())
        {
            text.Append(queue).Append('\n');
        }

        var stats = await store.GetStatsAsync();
        text.Append($"processed={stats.Processed} failed={stats.Failed} ");
        text.Append(string.Join(',', stats.Counts.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}")));
        return text.ToString();
    }

    public async ValueTask DisposeAsync() => await Store.DisposeAsync();
}
