using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>Flush: every job and queue removed in one write, for good.</summary>
public abstract class FlushConformance : StoreConformanceBase
{
    [Fact]
    public async Task Flush_JobsInEveryState_RemovesAllJobsAndQueues()
    {
        var ids = new List<string>();
        foreach (var state in JobStateNames.All)
        {
            ids.Add((await PutInStateAsync(state)).Id);
        }

        await Store.QueuePauseAsync(new QueuePause("paused"), Ct);

        Assert.Equal(ids.Count, await Store.FlushAsync(new JobsFlush(), Ct));

        foreach (var id in ids)
        {
            Assert.Null(await FindAsync(id));
        }

        Assert.Empty(await Store.ListQueuesAsync(Ct));
        Assert.Empty((await Store.ListJobsAsync(new JobList(), Ct)).Jobs);
        Assert.All((await Store.GetStatsAsync(Ct)).Counts.Values, count => Assert.Equal(0, count));
    }

    [Fact]
    public async Task Flush_ThenReopen_NothingComesBack()
    {
        var (available, _) = await PutInStateAsync(JobState.Available);
        var (scheduled, _) = await PutInStateAsync(JobState.Scheduled);
        await Store.QueuePauseAsync(new QueuePause("paused"), Ct);
        await Store.FlushAsync(new JobsFlush(), Ct);

        await ReopenAsync();

        Assert.Null(await FindAsync(available));
        Assert.Null(await FindAsync(scheduled));
        Assert.Empty(await Store.ListQueuesAsync(Ct));
        Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await Store.PromoteAsync(new JobsPromote(), Ct));
    }

    [Fact]
    public async Task Flush_ActiveLease_LateAckAndHeartbeatAnswerUnknown()
    {
        var (id, token) = await PutInStateAsync(JobState.Active);

        await Store.FlushAsync(new JobsFlush(), Ct);

        Assert.Equal(SettleStatus.Unknown, await AckAsync(id, token!));
        Assert.Equal(SettleStatus.Unknown, (await Store.HeartbeatAsync(new JobHeartbeat(id, token!), Ct)).Status);
        Time.Advance(TimeSpan.FromSeconds(LeaseSeconds * 2));
        Assert.Equal(0, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));
    }

    [Fact]
    public async Task Flush_Totals_KeptAndStoreUsableAfter()
    {
        await PutInStateAsync(JobState.Completed);
        await PutInStateAsync(JobState.Dead);
        await Store.FlushAsync(new JobsFlush(), Ct);

        var id = await EnqueueAsync();
        var job = await FetchExpectedAsync(id);

        Assert.Equal(SettleStatus.Ok, await AckAsync(id, TokenOf(job)));
        var stats = await Store.GetStatsAsync(Ct);
        Assert.Equal((2, 1), (stats.Processed, stats.Failed));
    }

    [Fact]
    public async Task Flush_UniqueKeyHeld_KeyFreeAfter()
    {
        var first = await EnqueueAsync(Spec() with { UniqueKey = "only-one", UniqueForSeconds = 3600 });
        await Store.FlushAsync(new JobsFlush(), Ct);

        var result = await Store.EnqueueAsync(new JobEnqueue([Spec() with { UniqueKey = "only-one", UniqueForSeconds = 3600 }]), Ct);

        var enqueued = Assert.Single(result.Jobs);
        Assert.True(enqueued.Created);
        Assert.NotEqual(first, enqueued.Id);
    }

    [Fact]
    public async Task Flush_EmptyStore_RemovesNothing() =>
        Assert.Equal(0, await Store.FlushAsync(new JobsFlush(), Ct));
}
