using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Store;

public sealed class StoreRecoveryTests
{
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
    public async Task Crash_InNoneMode_LosesUnsyncedWritesButStaysConsistent()
    {
        await using var h = new StoreHarness(DurabilityMode.None);
        await h.EnqueueAsync(StoreHarness.Job("a"));

        await h.CrashAndReopenAsync();

        Assert.Null(await h.Store.GetJobAsync(new JobGet("a")));
        Assert.Equal("b", await h.EnqueueAsync(StoreHarness.Job("b")));
    }
}
