using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Store;

/// <summary>In sync mode a fetch is answered before its lease is fsynced; every acknowledged write still waits for one.</summary>
public sealed class StoreLazyLeaseTests
{
    private static readonly JobFetch FetchOne = new(["q"], 1, "w");

    [Fact]
    public async Task Fetch_InSyncMode_AfterTheRunsFirstLease_AnswersWithoutAnFsync()
    {
        await using var h = new StoreHarness(DurabilityMode.Sync);
        await h.EnqueueAsync(StoreHarness.Job("a"));
        await h.EnqueueAsync(StoreHarness.Job("b"));
        var beforeFirst = h.Device.SyncCount;
        Assert.Single(await h.Store.FetchAsync(FetchOne));

        // The run's first lease waits for the token skip to be durable; the next one waits for nothing.
        Assert.Equal(beforeFirst + 1, h.Device.SyncCount);
        var second = Assert.Single(await h.Store.FetchAsync(FetchOne));
        Assert.Equal(beforeFirst + 1, h.Device.SyncCount);
        Assert.Equal("b", second.Id);
        Assert.Equal(JobState.Active, (await h.Store.GetJobAsync(new JobGet("b")))!.State);
    }

    [Fact]
    public async Task Fetch_WhileACommitsFsyncRuns_IsAnsweredButNotWithAJobThatCommitHolds()
    {
        await using var h = new StoreHarness(DurabilityMode.Sync);
        await h.EnqueueAsync(StoreHarness.Job("warm"));
        await h.EnqueueAsync(StoreHarness.Job("a"));
        await h.EnqueueAsync(StoreHarness.Job("c", queue: "other"));
        Assert.Single(await h.Store.FetchAsync(FetchOne));
        using var inSync = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        var hold = 1;
        h.Device.BeforeSync = path =>
        {
            if (path.StartsWith("wal/", StringComparison.Ordinal) && Interlocked.Exchange(ref hold, 0) == 1)
            {
                inSync.Release();
                release.Wait();
            }
        };

        // b's commit is held in its fsync (off the writer loop).
        var enqueueB = h.EnqueueAsync(StoreHarness.Job("b"));
        Assert.True(await inSync.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        var a = await h.Store.FetchAsync(FetchOne).AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var fetchB = h.Store.FetchAsync(FetchOne).AsTask();
        var c = await h.Store.FetchAsync(new JobFetch(["other"], 1, "w")).AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        // a and c were answered while the fsync ran; b is not on disk yet, so neither its enqueue nor its fetch is answered.
        Assert.Equal("a", Assert.Single(a).Id);
        Assert.Equal("c", Assert.Single(c).Id);
        Assert.False(enqueueB.IsCompleted, "b's enqueue was answered before its fsync");
        Assert.False(fetchB.IsCompleted, "b was leased before its enqueue was durable");
        release.Release();
        await enqueueB;
        Assert.Equal("b", Assert.Single(await fetchB).Id);
    }

    [Fact]
    public async Task Crash_AfterAnEarlyFetch_JobIsAvailableAgainAttemptNotCountedAndTheTokenRefused()
    {
        await using var h = new StoreHarness(DurabilityMode.Sync);
        await h.EnqueueAsync(StoreHarness.Job("warm"));
        await h.EnqueueAsync(StoreHarness.Job("a"));
        Assert.Single(await h.Store.FetchAsync(FetchOne)); // "warm": this run's token skip made durable
        var lost = Assert.Single(await h.Store.FetchAsync(FetchOne));
        Assert.Equal("a", lost.Id);

        await h.CrashAndReopenAsync();

        var job = (await h.Store.GetJobAsync(new JobGet("a")))!;
        Assert.Equal(JobState.Available, job.State);
        Assert.Equal(0, job.Attempt);
        var again = Assert.Single(await h.Store.FetchAsync(FetchOne));
        Assert.Equal("a", again.Id);
        Assert.Equal(1, again.Attempt);
        Assert.NotEqual(lost.Lease!.Token, again.Lease!.Token);
        var stale = await h.Store.SettleAsync(new JobSettle([new JobAck("a", lost.Lease.Token)], []));
        Assert.NotEqual(SettleStatus.Ok, Assert.Single(stale).Status);
        var ok = await h.Store.SettleAsync(new JobSettle([new JobAck("a", again.Lease.Token)], []));
        Assert.Equal(SettleStatus.Ok, Assert.Single(ok).Status);
    }

    [Fact]
    public async Task Crash_AfterAnAck_KeepsTheAckAndTheLeaseItCovers()
    {
        await using var h = new StoreHarness(DurabilityMode.Sync);
        await h.EnqueueAsync(StoreHarness.Job("warm"));
        await h.EnqueueAsync(StoreHarness.Job("a"));
        await h.EnqueueAsync(StoreHarness.Job("b"));
        Assert.Single(await h.Store.FetchAsync(FetchOne));
        var a = Assert.Single(await h.Store.FetchAsync(FetchOne));
        var b = Assert.Single(await h.Store.FetchAsync(FetchOne));
        var syncs = h.Device.SyncCount;

        var acked = await h.Store.SettleAsync(new JobSettle([new JobAck("a", a.Lease!.Token)], []));

        Assert.Equal(SettleStatus.Ok, Assert.Single(acked).Status);
        Assert.True(h.Device.SyncCount > syncs, "the ack was answered without an fsync");
        await h.CrashAndReopenAsync();
        Assert.Equal(JobState.Completed, (await h.Store.GetJobAsync(new JobGet("a")))!.State);

        // b's lease was logged before the ack: the ack's fsync made it durable too.
        var held = (await h.Store.GetJobAsync(new JobGet("b")))!;
        Assert.Equal(JobState.Active, held.State);
        Assert.Equal(b.Lease!.Token, held.Lease!.Token);
    }

    [Fact]
    public async Task RepeatedCrashes_AfterEarlyFetches_NeverHandOutATokenTwice()
    {
        await using var h = new StoreHarness(DurabilityMode.Sync);
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        for (var round = 0; round < 4; round++)
        {
            await h.EnqueueAsync(StoreHarness.Job($"warm{round}"));
            await h.EnqueueAsync(StoreHarness.Job($"r{round}"));

            // The run's first fetch waits for the skip (durable); the second is answered early, and lost in the crash.
            foreach (var max in new[] { 1, 10 })
            {
                foreach (var job in await h.Store.FetchAsync(new JobFetch(["q"], max, "w")))
                {
                    Assert.True(tokens.Add(job.Lease!.Token), $"round {round}: token {job.Lease.Token} handed out twice");
                }
            }

            await h.CrashAndReopenAsync();
        }

        Assert.True(tokens.Count >= 4, $"only {tokens.Count} leases");
    }

    [Theory]
    [InlineData(DurabilityMode.Interval)]
    [InlineData(DurabilityMode.None)]
    public async Task Fetch_OutsideSyncMode_SkipsNoTokens(DurabilityMode durability)
    {
        await using var h = new StoreHarness(durability);
        await h.EnqueueAsync(StoreHarness.Job("a"));

        var job = Assert.Single(await h.Store.FetchAsync(FetchOne));

        Assert.Equal("1", job.Lease!.Token);
    }
}
