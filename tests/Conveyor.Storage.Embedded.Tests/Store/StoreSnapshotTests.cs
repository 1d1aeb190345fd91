using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Store;

/// <summary>
/// Snapshots the writer takes in the background (a slice of jobs between batches) while commands keep coming:
/// they complete, replace the WAL they cover, and a crash at any point recovers exactly the acknowledged state.
/// </summary>
public sealed class StoreSnapshotTests
{
    [Fact]
    public async Task BackgroundSnapshots_WhileBurstsOfEveryCommandRun_CrashRecoversExactlyTheLiveState()
    {
        var random = new Random(5);
        var roundsWithSnapshots = 0;
        for (var round = 0; round < 12; round++)
        {
            // Small snapshot threshold and slices: many snapshots, each spread over many batches.
            await using var h = new StoreHarness(segmentBytes: 1 << 20);
            h.Options.SnapshotAfterBytes = random.Next(1_000, 8_000);
            h.Options.SnapshotSliceJobs = random.Next(1, 6);
            var workload = new Workload(h, random);
            for (var step = 0; step < 40; step++)
            {
                await workload.BurstAsync();
            }

            // A fetch is answered before its lease is fsynced: an acknowledged write makes the last burst's leases durable.
            await h.EnqueueAsync(StoreHarness.Job($"sync-{round}", queue: "sync"));
            var live = await StoreHarness.DumpAsync(h.Store);
            roundsWithSnapshots += HasSnapshot(h) ? 1 : 0;

            await h.CrashAndReopenAsync();

            Assert.Equal(live, await StoreHarness.DumpAsync(h.Store));
        }

        Assert.True(roundsWithSnapshots >= 10, $"only {roundsWithSnapshots} of 12 rounds wrote a snapshot");
    }

    [Fact]
    public async Task BackgroundSnapshot_Completed_DeletesTheSegmentsItCovers()
    {
        await using var h = new StoreHarness(segmentBytes: 1 << 20);
        h.Options.SnapshotAfterBytes = 1;
        h.Options.SnapshotSliceJobs = 1;
        await h.Store.EnqueueAsync(new JobEnqueue([.. Enumerable.Range(0, 50).Select(i => StoreHarness.Job($"j{i}"))]));

        // The loop writes a slice per turn (and between commands when idle), then fsyncs the file on another thread.
        for (var i = 0; i < 500 && !(HasSnapshot(h) && h.Device.ListFiles("wal").Count == 1); i++)
        {
            await h.Store.GetStatsAsync();
            await Task.Delay(i < 100 ? 0 : 10);
        }

        Assert.Single(h.Device.ListFiles("snap"));
        Assert.Single(h.Device.ListFiles("wal"));
        Assert.Equal(1, (await h.Store.GetStatsAsync()).Storage!.Snapshots);
        await h.CrashAndReopenAsync();
        Assert.Equal(50, (await h.Store.GetStatsAsync()).Counts[JobState.Available]);
    }

    [Fact]
    public async Task BackgroundSnapshot_WhenItsFsyncFails_IsGivenUpAndTheWalKept()
    {
        await using var h = new StoreHarness(segmentBytes: 1 << 20);
        h.Options.SnapshotSliceJobs = 1;
        await h.Store.EnqueueAsync(new JobEnqueue([.. Enumerable.Range(0, 50).Select(i => StoreHarness.Job($"j{i}"))]));
        h.Device.FailSyncOfFilesUnder = "snap/";
        h.Options.SnapshotAfterBytes = 1;

        await h.EnqueueAsync(StoreHarness.Job("starts-the-snapshot"));
        h.Options.SnapshotAfterBytes = long.MaxValue;
        for (var i = 0; i < 500 && !h.Logs.Lines.Any(l => l.Message.StartsWith("Snapshot failed", StringComparison.Ordinal)); i++)
        {
            await h.Store.GetStatsAsync();
            await Task.Delay(i < 100 ? 0 : 10);
        }

        Assert.Contains(h.Logs.Lines, l => l.Level == LogLevel.Error && l.Message.StartsWith("Snapshot failed; the WAL is kept", StringComparison.Ordinal));
        Assert.Empty(h.Device.ListFiles("snap")); // the temp file is deleted
        Assert.Equal(2, h.Device.ListFiles("wal").Count);
        Assert.Equal((0, 1), ((await h.Store.GetStatsAsync()).Storage!.Snapshots, (await h.Store.GetStatsAsync()).Storage!.SnapshotFailures));
        h.Device.FailSyncOfFilesUnder = null;
        await h.EnqueueAsync(StoreHarness.Job("after"));
        await h.CrashAndReopenAsync();
        Assert.Equal(52, (await h.Store.GetStatsAsync()).Counts[JobState.Available]);
    }

    private static bool HasSnapshot(StoreHarness h) => h.Device.ListFiles("snap").Any(name => name.EndsWith(".snap", StringComparison.Ordinal));

    /// <summary>Bursts of concurrent commands of every kind, so the writer runs them in batches between snapshot slices.</summary>
    private sealed class Workload(StoreHarness h, Random random)
    {
        private readonly List<JobInfo> leased = [];
        private readonly List<string> ids = [];
        private int created;

        public async Task BurstAsync()
        {
            var store = h.Store;
            var commands = new List<Task>();
            var fetches = new List<Task<IReadOnlyList<JobInfo>>>();
            for (var i = random.Next(1, 8); i > 0; i--)
            {
                commands.Add(random.Next(12) switch
                {
                    0 or 1 or 2 => EnqueueAsync(),
                    3 or 4 => Fetch(fetches),
                    5 or 6 => SettleAsync(),
                    7 => Leased() is { } job ? store.HeartbeatAsync(new JobHeartbeat(job.Id, job.Lease!.Token, TimeSpan.FromMinutes(9))).AsTask() : Task.CompletedTask,
                    8 => Some() is { } id ? store.CancelAsync(new JobCancel(id)).AsTask() : Task.CompletedTask,
                    9 => Some() is { } retried ? store.RetryAsync(new JobRetry(retried)).AsTask() : Task.CompletedTask,
                    10 => random.Next(2) == 0 ? store.PruneAsync(new JobsPrune()).AsTask() : store.PromoteAsync(new JobsPromote()).AsTask(),
                    _ => random.Next(3) switch
                    {
                        0 => store.QueuePauseAsync(new QueuePause("b")).AsTask(),
                        1 => store.QueueResumeAsync(new QueueResume("b")).AsTask(),
                        _ => store.QueuePurgeAsync(new QueuePurge("b")).AsTask(),
                    },
                });
            }

            await Task.WhenAll(commands);
            foreach (var fetch in fetches)
            {
                leased.AddRange(await fetch); // here, not in the commands' continuations: they run on other threads
            }

            h.Time.Advance(TimeSpan.FromSeconds(random.Next(0, 120)));
        }

        private async Task EnqueueAsync()
        {
            // Half the jobs bring their own id, half get the store's (kept as a value, not a string).
            var jobs = Enumerable.Range(0, random.Next(1, 12)).Select(_ => StoreHarness.Job(
                random.Next(2) == 0 ? $"j{created++}" : null, queue: random.Next(3) == 0 ? "b" : "a", priority: random.Next(1, 10),
                runAt: random.Next(4) == 0 ? h.Time.GetUtcNow().AddSeconds(random.Next(1, 300)) : null)).ToList();
            var enqueued = await h.Store.EnqueueAsync(new JobEnqueue(jobs));
            lock (ids)
            {
                ids.AddRange(enqueued.Jobs.Select(j => j.Id));
            }
        }

        private Task Fetch(List<Task<IReadOnlyList<JobInfo>>> fetches)
        {
            var fetch = h.Store.FetchAsync(new JobFetch(["a", "b"], random.Next(1, 6), "w")).AsTask();
            fetches.Add(fetch);
            return fetch;
        }

        private async Task SettleAsync()
        {
            var jobs = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Leased()).OfType<JobInfo>().Distinct().ToList();
            leased.RemoveAll(jobs.Contains);
            var fail = jobs.Where(_ => random.Next(3) == 0).ToList();
            await h.Store.SettleAsync(new JobSettle(
                [.. jobs.Except(fail).Select(j => new JobAck(j.Id, j.Lease!.Token))],
                [.. fail.Select(j => new JobFail(j.Id, j.Lease!.Token, "Boom", $"attempt {j.Attempt}", ["x.cs:1"]))]));
        }

        private JobInfo? Leased() => leased.Count == 0 ? null : leased[random.Next(leased.Count)];

        private string? Some()
        {
            lock (ids)
            {
                return ids.Count == 0 ? null : ids[random.Next(ids.Count)];
            }
        }
    }
}
