using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>
/// <c>dead: false</c>: a job whose attempts run out (fail or lease expiry) is removed in the same write
/// instead of kept as dead; the failure still counts.
/// </summary>
public abstract class DiscardConformance : StoreConformanceBase
{
    [Fact]
    public async Task Fail_LastAttemptDeadFalse_JobRemovedAndFailureCounted()
    {
        var id = await EnqueueAsync(Spec() with { MaxAttempts = 1, Dead = false });
        var failedBefore = (await Store.GetStatsAsync(Ct)).Failed;

        Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(await FetchExpectedAsync(id))));

        Assert.Null(await FindAsync(id));
        var stats = await Store.GetStatsAsync(Ct);
        Assert.Equal(failedBefore + 1, stats.Failed);
        Assert.Equal(0, stats.Counts[JobState.Dead]);
        Assert.Equal(0, stats.Counts[JobState.Active]);
    }

    [Fact]
    public async Task ExpireLeases_LastAttemptDeadFalse_JobRemoved()
    {
        var id = await EnqueueAsync(Spec() with { MaxAttempts = 1, Dead = false });
        await FetchExpectedAsync(id);
        Time.Advance(TimeSpan.FromSeconds(LeaseSeconds + 5));

        Assert.Equal(1, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));

        Assert.Null(await FindAsync(id));
        var stats = await Store.GetStatsAsync(Ct);
        Assert.Equal(1, stats.Failed);
        Assert.Equal(0, stats.Counts[JobState.Dead]);
    }

    [Fact]
    public async Task Fail_AttemptsLeftDeadFalse_Retrying()
    {
        var id = await EnqueueAsync(Spec() with { MaxAttempts = 2, Dead = false });

        Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(await FetchExpectedAsync(id))));

        var job = await GetAsync(id);
        Assert.Equal(JobState.Retrying, job.State);
        Assert.False(job.Dead);
    }

    [Fact]
    public async Task Fail_SecondAttemptDeadFalse_RemovedAfterRetry()
    {
        var id = await EnqueueAsync(Spec() with { MaxAttempts = 2, Dead = false });
        Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(await FetchExpectedAsync(id)), TimeSpan.FromSeconds(1)));
        Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(await FetchExpectedAsync(id))));

        Assert.Null(await FindAsync(id));
    }

    [Fact]
    public async Task Fail_LastAttemptDefaultDead_KeptDead()
    {
        var id = await EnqueueAsync(Spec() with { MaxAttempts = 1 });

        Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(await FetchExpectedAsync(id))));

        var job = await GetAsync(id);
        Assert.Equal(JobState.Dead, job.State);
        Assert.True(job.Dead);
    }

    [Fact]
    public async Task Enqueue_DeadFalse_ReportedOnTheJob()
    {
        var id = await EnqueueAsync(Spec() with { Dead = false });

        Assert.False((await GetAsync(id)).Dead);
        Assert.True((await GetAsync(await EnqueueAsync())).Dead);
    }

    [Fact]
    public async Task Fail_RemovedJobsId_FreeAgain()
    {
        var spec = Spec() with { Id = "once", MaxAttempts = 1, Dead = false };
        await EnqueueAsync(spec);
        Assert.Equal(SettleStatus.Ok, await FailAsync("once", TokenOf(await FetchExpectedAsync("once"))));

        var again = await Store.EnqueueAsync(new JobEnqueue([spec]), Ct);

        Assert.True(Assert.Single(again.Jobs).Created);
    }
}
