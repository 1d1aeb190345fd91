using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>Release: a lease whose fetch answer was not delivered goes back at once, as if never leased.</summary>
public abstract class ReleaseConformance : StoreConformanceBase
{
    [Fact]
    public async Task Release_LeasedJob_AvailableAgainWithAttemptNotCounted()
    {
        var id = await EnqueueAsync();
        var leased = await FetchExpectedAsync(id);

        var released = await Store.ReleaseAsync(new LeasesRelease([new JobLeaseRef(id, TokenOf(leased))]), Ct);

        Assert.Equal(1, released);
        var job = await GetAsync(id);
        Assert.Equal(JobState.Available, job.State);
        Assert.Equal(0, job.Attempt);
        Assert.Null(job.Lease);
        Assert.Empty(job.Failures);
        var stats = await Store.GetStatsAsync(Ct);
        Assert.Equal(0, stats.Failed);
        Assert.Equal(0, stats.Counts[JobState.Active]);
        var again = await FetchExpectedAsync(id);
        Assert.Equal(1, again.Attempt);
        Assert.NotEqual(TokenOf(leased), TokenOf(again));
    }

    [Fact]
    public async Task Release_OldToken_SettleRefusedAsStale()
    {
        var id = await EnqueueAsync();
        var token = TokenOf(await FetchExpectedAsync(id));
        await Store.ReleaseAsync(new LeasesRelease([new JobLeaseRef(id, token)]), Ct);

        Assert.Equal(SettleStatus.Stale, await AckAsync(id, token));
        Assert.Equal(JobState.Available, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task Release_StaleOrUnknownLeases_Skipped()
    {
        var (completed, completedToken) = await PutInStateAsync(JobState.Completed);
        var (active, activeToken) = await PutInStateAsync(JobState.Active);

        var released = await Store.ReleaseAsync(
            new LeasesRelease([new JobLeaseRef(completed, completedToken!), new JobLeaseRef(active, "999999"), new JobLeaseRef("no-such-job", activeToken!)]), Ct);

        Assert.Equal(0, released);
        Assert.Equal(JobState.Completed, (await GetAsync(completed)).State);
        var stillActive = await GetAsync(active);
        Assert.Equal(JobState.Active, stillActive.State);
        Assert.Equal(activeToken, stillActive.Lease?.Token);
    }

    [Fact]
    public async Task Release_ThenReopen_JobStaysAvailableWithAttemptNotCounted()
    {
        var id = await EnqueueAsync();
        var token = TokenOf(await FetchExpectedAsync(id));
        await Store.ReleaseAsync(new LeasesRelease([new JobLeaseRef(id, token)]), Ct);

        await ReopenAsync();

        var job = await GetAsync(id);
        Assert.Equal(JobState.Available, job.State);
        Assert.Equal(0, job.Attempt);
        Assert.Equal(1, (await FetchExpectedAsync(id)).Attempt);
    }
}
