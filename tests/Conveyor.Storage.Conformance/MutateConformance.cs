using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>The bulk operator commands (kill, discard, requeue): what moves, what is skipped, and that it lasts.</summary>
public abstract class MutateConformance : StoreConformanceBase
{
    [Fact]
    public async Task Kill_ScheduledAndRetrying_DeadAndFinished()
    {
        var (scheduled, _) = await PutInStateAsync(JobState.Scheduled);
        var (retrying, _) = await PutInStateAsync(JobState.Retrying);

        var moved = await Store.KillAsync(new JobsKill([scheduled, retrying]), Ct);

        Assert.Equal(2, moved);
        foreach (var id in new[] { scheduled, retrying })
        {
            var job = await GetAsync(id);
            Assert.Equal(JobState.Dead, job.State);
            Assert.Null(job.RunAt);
            Assert.Equal(Now, job.FinishedAt);
        }
    }

    [Fact]
    public async Task Kill_OtherStatesAndUnknown_Skipped()
    {
        var (available, _) = await PutInStateAsync(JobState.Available);
        var (active, _) = await PutInStateAsync(JobState.Active);
        var (dead, _) = await PutInStateAsync(JobState.Dead);

        var moved = await Store.KillAsync(new JobsKill([available, active, dead, "no-such-job"]), Ct);

        Assert.Equal(0, moved);
        Assert.Equal(JobState.Available, (await GetAsync(available)).State);
        Assert.Equal(JobState.Active, (await GetAsync(active)).State);
    }

    [Fact]
    public async Task Discard_EveryStateButActive_Removed()
    {
        List<string> ids = [];
        foreach (var state in JobStateNames.All.Where(s => s != JobState.Active))
        {
            ids.Add((await PutInStateAsync(state)).Id);
        }

        var (active, _) = await PutInStateAsync(JobState.Active);

        var moved = await Store.DiscardAsync(new JobsDiscard([.. ids, active, ids[0]]), Ct);

        Assert.Equal(ids.Count, moved);
        foreach (var id in ids)
        {
            Assert.Null(await FindAsync(id));
        }

        Assert.Equal(JobState.Active, (await GetAsync(active)).State);
        Assert.Equal(0, (await Store.GetStatsAsync(Ct)).Counts[JobState.Dead]);
    }

    [Fact]
    public async Task Requeue_ScheduledRetryingDead_AvailableAndFetchable()
    {
        var (scheduled, _) = await PutInStateAsync(JobState.Scheduled);
        var (retrying, _) = await PutInStateAsync(JobState.Retrying);
        var (dead, _) = await PutInStateAsync(JobState.Dead);

        var moved = await Store.RequeueAsync(new JobsRequeue([scheduled, retrying, dead]), Ct);

        Assert.Equal(3, moved);
        var fetched = await Store.FetchAsync(new JobFetch([Queue], 10, null), Ct);
        Assert.Equal(new[] { dead, retrying, scheduled }.Order(), fetched.Select(j => j.Id).Order());
    }

    [Fact]
    public async Task Mutations_Reopen_StateKept()
    {
        var (killed, _) = await PutInStateAsync(JobState.Scheduled);
        var (discarded, _) = await PutInStateAsync(JobState.Dead);
        var (requeued, _) = await PutInStateAsync(JobState.Retrying);
        await Store.KillAsync(new JobsKill([killed]), Ct);
        await Store.DiscardAsync(new JobsDiscard([discarded]), Ct);
        await Store.RequeueAsync(new JobsRequeue([requeued]), Ct);

        await ReopenAsync();

        Assert.Equal(JobState.Dead, (await GetAsync(killed)).State);
        Assert.Null(await FindAsync(discarded));
        Assert.Equal(JobState.Available, (await GetAsync(requeued)).State);
    }
}
