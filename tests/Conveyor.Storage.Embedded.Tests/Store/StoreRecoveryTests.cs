using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Store;

public sealed class StoreRecoveryTests
{
    [Theory]
    [InlineData(DurabilityMode.Sync)]
    [InlineData(DurabilityMode.Interval)]
    [InlineData(DurabilityMode.None)]
    public async Task PowerCut_LosingRandomUnsyncedPages_ReopensWithWholeBatchesInOrderAndEveryAcknowledgedOneInSyncMode(DurabilityMode durability)
    {
        var random = new Random(3);
        int lostSome = 0, keptUnsynced = 0;
        for (var round = 0; round < 20; round++)
        {
            // Small segments: recovery reads the last one to its end, and 64 MiB of zeros per round adds up.
            await using var h = new StoreHarness(durability, segmentBytes: 1 << 20);
            var batches = new List<string[]>();
            for (var b = random.Next(2, 9); b > 0; b--)
            {
                var ids = Enumerable.Range(0, random.Next(1, 80)).Select(i => $"b{batches.Count}-{i}").ToArray();
                await h.Store.EnqueueAsync(new JobEnqueue([.. ids.Select(id => StoreHarness.Job(id))]));
                batches.Add(ids);
            }

            // With the fake clock the interval mode's timer never fires: like none, nothing after the open is synced.
            var lossRate = random.NextDouble();
            await h.PowerCutAndReopenAsync((_, _) => random.NextDouble() >= lossRate);

            var present = new List<bool>();
            foreach (var batch in batches)
            {
                var found = 0;
                foreach (var id in batch)
                {
                    found += await h.Store.GetJobAsync(new JobGet(id)) is null ? 0 : 1;
                }

                Assert.True(found == 0 || found == batch.Length, $"round {round}: batch {present.Count} is partly there ({found}/{batch.Length})");
                present.Add(found > 0);
            }
            var kept = present.TakeWhile(p => p).Count();
            Assert.True(present.Skip(kept).All(p => !p), $"round {round}: a later batch survived an earlier lost one");
            if (durability == DurabilityMode.Sync)
            {
                Assert.Equal(batches.Count, kept);
            }

            lostSome += kept < batches.Count ? 1 : 0;
            keptUnsynced += kept > 0 ? 1 : 0;
        }

        // Without fsyncs the cuts both lost batches and kept unsynced ones, so the rounds tested the rule.
        if (durability != DurabilityMode.Sync)
        {
            Assert.True(lostSome > 3 && keptUnsynced > 3, $"{lostSome} rounds lost batches, {keptUnsynced} kept some");
        }
    }

    /// <summary>Drives every kind of record through the store: enqueue, lease, ack, fail, heartbeat, cancel, retry, promote, expire, prune, pause, purge.</summary>
    private static async Task BuildHistoryAsync(StoreHarness h)
    {
        var store = h.Store;
        for (var i = 0; i < 20; i++)
        {
            await h.EnqueueAsync(StoreHarness.Job($"j{i}", queue: i % 2 == 0 ? "even" : "odd", priority: 1 + (i % 9)));
        }

        await h.EnqueueAsync(StoreHarness.Job("later", runAt: h.Time.GetUtcNow().AddMinutes(5)));
        var leased = await store.FetchAsync(new JobFetch(["even", "odd"], 8, "w1"));
        await store.SettleAsync(new JobSettle(
            [new JobAck(leased[0].Id, leased[0].Lease!.Token), new JobAck(leased[1].Id, leased[1].Lease!.Token)],
            [new JobFail(leased[2].Id, leased[2].Lease!.Token, "Boom", "it broke", ["a.cs:1"])]));
        await store.HeartbeatAsync(new JobHeartbeat(leased[3].Id, leased[3].Lease!.Token, TimeSpan.FromHours(2)));
        await store.CancelAsync(new JobCancel(leased[4].Id));
        await store.CancelAsync(new JobCancel("j19"));
        await store.QueuePauseAsync(new QueuePause("odd"));
        await store.QueuePurgeAsync(new QueuePurge("even"));
        h.Time.Advance(TimeSpan.FromMinutes(70));
        await store.PromoteAsync(new JobsPromote());
        await store.ExpireLeasesAsync(new LeasesExpire());
        await store.RetryAsync(new JobRetry(leased[2].Id));
        await store.PruneAsync(new JobsPrune());
    }

    [Fact]
    public async Task Reopen_AfterEveryRecordType_ReplaysExactlyTheLiveState()
    {
        await using var h = new StoreHarness();
        await BuildHistoryAsync(h);
        var live = await StoreHarness.DumpAsync(h.Store);

        await h.ReopenAsync();

        Assert.Equal(live, await StoreHarness.DumpAsync(h.Store));
    }

    [Fact]
    public async Task Snapshot_ThenMoreWrites_RecoversExactlyTheLiveState()
    {
        await using var h = new StoreHarness();
        await BuildHistoryAsync(h);
        Assert.True(await h.Store.SnapshotAsync());
        await h.EnqueueAsync(StoreHarness.Job("after-snapshot"));
        var leased = await h.Store.FetchAsync(new JobFetch(["q"], 10, null));

        // A fetch is answered before its fsync: the next acknowledged write makes its leases durable with it.
        await h.EnqueueAsync(StoreHarness.Job("after-fetch", queue: "later"));
        var live = await StoreHarness.DumpAsync(h.Store);

        await h.CrashAndReopenAsync();

        Assert.Equal(live, await StoreHarness.DumpAsync(h.Store));
        var ack = await h.Store.SettleAsync(new JobSettle([new JobAck(leased[0].Id, leased[0].Lease!.Token)], []));
        Assert.Equal(SettleStatus.Ok, ack[0].Status);
    }

    [Fact]
    public async Task Snapshot_DeletesCoveredSegments_AndRecoversFromSnapshotAlone()
    {
        await using var h = new StoreHarness();
        await BuildHistoryAsync(h);
        var live = await StoreHarness.DumpAsync(h.Store);
        var walBefore = h.Device.ListFiles("wal").Count;

        Assert.True(await h.Store.SnapshotAsync());

        Assert.Single(h.Device.ListFiles("wal"));
        Assert.True(walBefore >= 1);
        await h.CrashAndReopenAsync();
        Assert.Equal(live, await StoreHarness.DumpAsync(h.Store));
    }

    [Fact]
    public async Task Crash_InSyncMode_KeepsEveryAcknowledgedWrite()
    {
        await using var h = new StoreHarness(DurabilityMode.Sync);
        await BuildHistoryAsync(h);
        var live = await StoreHarness.DumpAsync(h.Store);

        await h.CrashAndReopenAsync();

        Assert.Equal(live, await StoreHarness.DumpAsync(h.Store));
    }

    [Fact]
    public async Task IntervalMode_UnderSteadyLoad_ACommitAfterTheIntervalRanOutFsyncsBeforeItIsAnswered()
    {
        await using var h = new StoreHarness(DurabilityMode.Interval);
        h.Options.SyncInterval = TimeSpan.FromSeconds(10);
        await h.EnqueueAsync(StoreHarness.Job("a"));

        // Keep the loop busy across the interval: it is held in b's write while the clock passes the interval and c
        // is queued, so it goes from b straight to c and never idles (where its timer would fsync instead).
        using var inWrite = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        var hold = 1;
        h.Device.BeforeWrite = path =>
        {
            if (path.StartsWith("wal/", StringComparison.Ordinal) && Interlocked.Exchange(ref hold, 0) == 1)
            {
                inWrite.Release();
                release.Wait();
            }
        };
        var b = h.EnqueueAsync(StoreHarness.Job("b"));
        Assert.True(await inWrite.WaitAsync(TimeSpan.FromSeconds(30)));
        h.Time.Advance(TimeSpan.FromSeconds(11));
        var c = h.EnqueueAsync(StoreHarness.Job("c"));
        var syncs = h.Device.SyncCount;
        release.Release();
        await b;
        await c;

        // c's commit fsynced before c was answered (b's, decided before the clock moved, did not).
        Assert.True(h.Device.SyncCount > syncs, "no fsync before c was answered");
        await h.CrashAndReopenAsync();
        foreach (var id in new[] { "a", "b", "c" })
        {
            Assert.NotNull(await h.Store.GetJobAsync(new JobGet(id)));
        }
    }

    [Fact]
    public async Task Stats_InSyncMode_CountOneFsyncPerGroupCommitAndTheBytesWritten()
    {
        await using var h = new StoreHarness(DurabilityMode.Sync);
        var before = (await h.Store.GetStatsAsync()).Storage!;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => h.EnqueueAsync(StoreHarness.Job($"j{i}"))));
        var after = (await h.Store.GetStatsAsync()).Storage!;

        var flushes = after.Flushes - before.Flushes;
        Assert.InRange(flushes, 1, 20); // concurrent enqueues share group commits
        Assert.Equal(flushes, after.Fsyncs - before.Fsyncs);
        Assert.True(after.BytesWritten - before.BytesWritten > 20 * 10);
        Assert.Equal(0, after.Snapshots);
    }

    [Fact]
    public async Task Crash_InNoneMode_LosesUnsyncedWritesButStaysConsistent()
    {
        await using var h = new StoreHarness(DurabilityMode.None);
        await h.EnqueueAsync(StoreHarness.Job("a"));

        await h.CrashAndReopenAsync();

        Assert.Null(await h.Store.GetJobAsync(new JobGet("a")));
        Assert.Equal("b", await h.EnqueueAsync(StoreHarness.Job("b")));
    }
}
