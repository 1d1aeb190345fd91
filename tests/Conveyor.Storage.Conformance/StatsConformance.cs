using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>Stats: counts per state and the processed and failed totals.</summary>
public abstract class StatsConformance : StoreConformanceBase
{
    [Fact]
    public async Task GetStats_Empty_EveryStateZero()
    {
        var stats = await Store.GetStatsAsync(Ct);

        Assert.All(JobStateNames.All, s => Assert.Equal(0, stats.Counts[s]));
        Assert.Equal(0, stats.Processed);
        Assert.Equal(0, stats.Failed);
    }

    [Fact]
    public async Task GetStats_OneJobPerState_CountsEachState()
    {
        foreach (var state in JobStateNames.All)
        {
            await PutInStateAsync(state);
        }

        var stats = await Store.GetStatsAsync(Ct);

        Assert.All(JobStateNames.All, s => Assert.Equal(1, stats.Counts[s]));
    }

    [Fact]
    public async Task GetStats_AcksAndFails_CountsTotals()
    {
        for (var i = 0; i < 3; i++)
        {
            await PutInStateAsync(JobState.Completed);
        }

        await PutInStateAsync(JobState.Retrying);
        await PutInStateAsync(JobState.Dead);

        var stats = await Store.GetStatsAsync(Ct);

        Assert.Equal(3, stats.Processed);
        Assert.Equal(2, stats.Failed);
    }

    [Fact]
    public async Task GetStats_LeaseExpired_CountsAsFailed()
    {
        await PutInStateAsync(JobState.Active);
        Time.Advance(TimeSpan.FromSeconds(LeaseSeconds));
        Assert.Equal(1, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));

        var stats = await Store.GetStatsAsync(Ct);

        Assert.Equal(1, stats.Failed);
        Assert.Equal(0, stats.Processed);
        Assert.Equal(1, stats.Counts[JobState.Retrying]);
        Assert.Equal(0, stats.Counts[JobState.Active]);
    }

    [Fact]
    public async Task GetStats_StaleSettle_NotCounted()
    {
        var (id, token) = await PutInStateAsync(JobState.Completed);
        Assert.Equal(SettleStatus.Stale, await AckAsync(id, token!));
        Assert.Equal(SettleStatus.Stale, await FailAsync(id, token!));

        var stats = await Store.GetStatsAsync(Ct);

        Assert.Equal(1, stats.Processed);
        Assert.Equal(0, stats.Failed);
    }

    [Fact]
    public async Task GetStats_Pruned_TotalsKept()
    {
        await PutInStateAsync(JobState.Completed);
        Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await Store.PruneAsync(new JobsPrune(), Ct));

        var stats = await Store.GetStatsAsync(Ct);

        Assert.Equal(0, stats.Counts[JobState.Completed]);
        Assert.Equal(1, stats.Processed);
    }
}
