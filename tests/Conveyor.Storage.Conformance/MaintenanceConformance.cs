using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>Maintenance: promotion, lease expiry and retention pruning.</summary>
public abstract class MaintenanceConformance : StoreConformanceBase
{
    /// <summary>Small caps so cap pruning needs few jobs; windows of an hour (completed) and two days (dead).</summary>
    protected override RetentionPolicy Retention { get; } = new(TimeSpan.FromHours(1), 3, TimeSpan.FromDays(2), 3);

    [Fact]
    public async Task Promote_BeforeRunAt_LeavesScheduled()
    {
        var id = await EnqueueAsync(Spec() with { RunAt = Now.AddSeconds(30) });
        Time.Advance(TimeSpan.FromSeconds(29));

        Assert.Equal(0, await Store.PromoteAsync(new JobsPromote(), Ct));
        Assert.Equal(JobState.Scheduled, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task Promote_AtExactlyRunAt_MakesAvailable()
    {
        var id = await EnqueueAsync(Spec() with { RunAt = Now.AddSeconds(30) });
        Time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(1, await Store.PromoteAsync(new JobsPromote(), Ct));
        Assert.Equal(JobState.Available, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task Promote_DueRetrying_MakesAvailable()
    {
        var id = await EnqueueAsync();
        Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(await FetchExpectedAsync(id)), TimeSpan.FromSeconds(20)));
        Time.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal(0, await Store.PromoteAsync(new JobsPromote(), Ct));
        Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, await Store.PromoteAsync(new JobsPromote(), Ct));
        Assert.Equal(JobState.Available, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task Promote_WithMax_PromotesThatManyEarliestFirstThenTheRest()
    {
        var ids = new List<string>();
        for (var i = 3; i >= 1; i--)
        {
            ids.Insert(0, await EnqueueAsync(Spec() with { RunAt = Now.AddSeconds(10 * i) }));
        }

        Time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(2, await Store.PromoteAsync(new JobsPromote(2), Ct));
        Assert.Equal([JobState.Available, JobState.Available, JobState.Scheduled], await StatesAsync(ids));
        Assert.Equal(1, await Store.PromoteAsync(new JobsPromote(2), Ct));
        Assert.Equal(0, await Store.PromoteAsync(new JobsPromote(2), Ct));
        Assert.Equal(JobState.Available, (await GetAsync(ids[2])).State);
    }

    [Fact]
    public async Task ExpireLeases_WithMax_ExpiresThatManyEarliestFirstThenTheRest()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = await EnqueueAsync();
            await FetchExpectedAsync(id);
            ids.Add(id);
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        Time.Advance(TimeSpan.FromSeconds(LeaseSeconds));

        Assert.Equal(2, await Store.ExpireLeasesAsync(new LeasesExpire(2), Ct));
        Assert.Equal([JobState.Retrying, JobState.Retrying, JobState.Active], await StatesAsync(ids));
        Assert.Equal(1, await Store.ExpireLeasesAsync(new LeasesExpire(2), Ct));
        Assert.Equal(0, await Store.ExpireLeasesAsync(new LeasesExpire(2), Ct));
    }

    [Fact]
    public async Task Prune_WithMax_RemovesThatManyOldestFirstThenTheRest()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await PutInStateAsync(JobState.Completed)).Id);
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        Time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(2, await Store.PruneAsync(new JobsPrune(2), Ct));
        Assert.Null(await FindAsync(ids[0]));
        Assert.Null(await FindAsync(ids[1]));
        Assert.NotNull(await FindAsync(ids[2]));
        Assert.Equal(1, await Store.PruneAsync(new JobsPrune(2), Ct));
        Assert.Equal(0, await Store.PruneAsync(new JobsPrune(2), Ct));
    }

    [Fact]
    public async Task Maintenance_MaxBelowOne_Refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.PromoteAsync(new JobsPromote(0), Ct).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ExpireLeasesAsync(new LeasesExpire(-1), Ct).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.PruneAsync(new JobsPrune(0), Ct).AsTask());
    }

    [Fact]
    public async Task ExpireLeases_BeforeExpiry_LeavesActive()
    {
        var id = await EnqueueAsync();
        await FetchExpectedAsync(id);
        Time.Advance(TimeSpan.FromSeconds(LeaseSeconds - 1));

        Assert.Equal(0, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));
        Assert.Equal(JobState.Active, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task ExpireLeases_Expired_FailsWithLeaseExpiredAndRedelivers()
    {
        var id = await EnqueueAsync();
        var oldToken = TokenOf(await FetchExpectedAsync(id));
        Time.Advance(TimeSpan.FromSeconds(LeaseSeconds));

        Assert.Equal(1, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));

        var retrying = await GetAsync(id);
        Assert.Equal(JobState.Retrying, retrying.State);
        AssertBackoff(Now, retrying.RunAt, n: 0);
        var failure = Assert.Single(retrying.Failures);
        Assert.Equal(JobFailure.LeaseExpiredType, failure.ErrorType);
        Assert.Equal(1, failure.Attempt);
        Assert.Equal(SettleStatus.Stale, await AckAsync(id, oldToken));

        Time.SetUtcNow(retrying.RunAt!.Value);
        var again = await FetchExpectedAsync(id);
        Assert.Equal(2, again.Attempt);
        Assert.NotEqual(oldToken, TokenOf(again));
        Assert.Equal(SettleStatus.Stale, await AckAsync(id, oldToken));
        Assert.Equal(SettleStatus.Ok, await AckAsync(id, TokenOf(again)));
    }

    [Fact]
    public async Task ExpireLeases_AttemptsExhausted_Dead()
    {
        var id = await EnqueueAsync(Spec() with { MaxAttempts = 1 });
        await FetchExpectedAsync(id);
        Time.Advance(TimeSpan.FromSeconds(LeaseSeconds + 5));

        Assert.Equal(1, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));

        var job = await GetAsync(id);
        Assert.Equal(JobState.Dead, job.State);
        Assert.Equal(Now, job.FinishedAt);
        Assert.Equal(JobFailure.LeaseExpiredType, Assert.Single(job.Failures).ErrorType);
    }

    [Fact]
    public async Task Prune_CompletedWithinWindow_Kept()
    {
        var (id, _) = await PutInStateAsync(JobState.Completed);
        Time.Advance(TimeSpan.FromMinutes(59));

        Assert.Equal(0, await Store.PruneAsync(new JobsPrune(), Ct));
        Assert.NotNull(await FindAsync(id));
    }

    [Theory]
    [InlineData(JobState.Completed)]
    [InlineData(JobState.Cancelled)]
    public async Task Prune_PastCompletedWindow_Removed(JobState state)
    {
        var (id, _) = await PutInStateAsync(state);
        Time.Advance(TimeSpan.FromMinutes(61));

        Assert.Equal(1, await Store.PruneAsync(new JobsPrune(), Ct));
        Assert.Null(await FindAsync(id));
    }

    [Fact]
    public async Task Prune_PastCompletedWindow_DeadKept()
    {
        var (completed, _) = await PutInStateAsync(JobState.Completed);
        var (dead, _) = await PutInStateAsync(JobState.Dead);
        Time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(1, await Store.PruneAsync(new JobsPrune(), Ct));
        Assert.Null(await FindAsync(completed));
        Assert.Equal(JobState.Dead, (await GetAsync(dead)).State);
    }

    [Fact]
    public async Task Prune_PastDeadWindow_DeadRemoved()
    {
        var (dead, _) = await PutInStateAsync(JobState.Dead);
        Time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromSeconds(1));

        Assert.Equal(1, await Store.PruneAsync(new JobsPrune(), Ct));
        Assert.Null(await FindAsync(dead));
    }

    [Fact]
    public async Task Prune_UnfinishedJobs_NeverRemoved()
    {
        var ids = new List<string>();
        foreach (var state in new[] { JobState.Scheduled, JobState.Available, JobState.Active, JobState.Retrying })
        {
            ids.Add((await PutInStateAsync(state)).Id);
        }

        Time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(0, await Store.PruneAsync(new JobsPrune(), Ct));

        foreach (var id in ids)
        {
            Assert.NotNull(await FindAsync(id));
        }
    }

    [Theory]
    [InlineData(JobState.Completed)]
    [InlineData(JobState.Cancelled)]
    [InlineData(JobState.Dead)]
    public async Task Prune_OverCap_RemovesOldestFirst(JobState state)
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await PutInStateAsync(state)).Id);
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(2, await Store.PruneAsync(new JobsPrune(), Ct));

        Assert.Null(await FindAsync(ids[0]));
        Assert.Null(await FindAsync(ids[1]));
        for (var i = 2; i < 5; i++)
        {
            Assert.NotNull(await FindAsync(ids[i]));
        }
    }

    [Fact]
    public async Task Prune_Removed_IdIsFreeAgain()
    {
        var id = await EnqueueAsync(Spec() with { Id = "reusable" });
        Assert.Equal(SettleStatus.Ok, await AckAsync(id, TokenOf(await FetchExpectedAsync(id))));
        Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await Store.PruneAsync(new JobsPrune(), Ct));

        var again = Assert.Single((await Store.EnqueueAsync(new JobEnqueue([Spec() with { Id = "reusable" }]), Ct)).Jobs);

        Assert.Equal(new EnqueuedJob("reusable", true), again);
        Assert.Equal(JobState.Available, (await GetAsync("reusable")).State);
    }

    [Theory]
    [InlineData(JobState.Scheduled)]
    [InlineData(JobState.Retrying)]
    public async Task Promote_CancelledBeforeDue_NothingPromoted(JobState state)
    {
        var (id, _) = await PutInStateAsync(state);
        Assert.Equal(CommandStatus.Ok, (await Store.CancelAsync(new JobCancel(id), Ct)).Status);
        Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, await Store.PromoteAsync(new JobsPromote(), Ct));
        Assert.Equal(JobState.Cancelled, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task Promote_RetriedByOperatorBeforeDue_NotPromotedAgain()
    {
        var (id, _) = await PutInStateAsync(JobState.Retrying);
        Assert.Equal(CommandStatus.Ok, (await Store.RetryAsync(new JobRetry(id), Ct)).Status);
        var job = await FetchExpectedAsync(id);
        Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, await Store.PromoteAsync(new JobsPromote(), Ct));
        Assert.Equal(JobState.Active, (await GetAsync(id)).State);
        Assert.Equal(job.Lease, (await GetAsync(id)).Lease);
    }

    [Fact]
    public async Task ExpireLeases_SeveralExpired_FailsEachOnce()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await PutInStateAsync(JobState.Active)).Id);
        }

        var late = await EnqueueAsync(Spec() with { LeaseSeconds = LeaseSeconds * 10 });
        await FetchExpectedAsync(late);
        Time.Advance(TimeSpan.FromSeconds(LeaseSeconds));

        Assert.Equal(3, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));
        Assert.Equal(0, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));
        foreach (var id in ids)
        {
            Assert.Equal(JobState.Retrying, (await GetAsync(id)).State);
        }

        Assert.Equal(JobState.Active, (await GetAsync(late)).State);
    }

    [Fact]
    public async Task Prune_FinishedExactlyWindowAgo_Kept()
    {
        var (id, _) = await PutInStateAsync(JobState.Completed);
        Time.Advance(TimeSpan.FromHours(1));

        // "finished_at is older than the completed window": exactly the window is not older.
        Assert.Equal(0, await Store.PruneAsync(new JobsPrune(), Ct));
        Assert.NotNull(await FindAsync(id));
    }

    [Fact]
    public async Task ExpireLeases_SecondAttempt_BackoffOfSecondFailure()
    {
        var id = await EnqueueAsync();
        Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(await FetchExpectedAsync(id)), TimeSpan.Zero));
        Assert.Equal(2, (await FetchExpectedAsync(id)).Attempt);
        Time.Advance(TimeSpan.FromSeconds(LeaseSeconds));

        Assert.Equal(1, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));

        var job = await GetAsync(id);
        AssertBackoff(Now, job.RunAt, n: 1);
        Assert.Equal(2, job.Failures[^1].Attempt);
    }

    [Fact]
    public async Task ExpireLeases_FixedBackoff_RetriesAfterFixedDelay()
    {
        var id = await EnqueueAsync(Spec() with { Backoff = Backoff.Fixed(90) });
        await FetchExpectedAsync(id);
        Time.Advance(TimeSpan.FromSeconds(LeaseSeconds));

        Assert.Equal(1, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));

        Assert.Equal(Now.AddSeconds(90), (await GetAsync(id)).RunAt);
    }

    private async Task<JobState[]> StatesAsync(IEnumerable<string> ids)
    {
        var states = new List<JobState>();
        foreach (var id in ids)
        {
            states.Add((await GetAsync(id)).State);
        }

        return [.. states];
    }
}
