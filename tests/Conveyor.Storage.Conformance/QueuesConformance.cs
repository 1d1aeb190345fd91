using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>Queues: pause, resume, purge and their listing.</summary>
public abstract class QueuesConformance : StoreConformanceBase
{
    [Fact]
    public async Task Pause_Queue_StopsFetchesUntilResumed()
    {
        var id = await EnqueueAsync();
        await Store.QueuePauseAsync(new QueuePause(Queue), Ct);

        Assert.Null(await FetchOneAsync());

        await Store.QueueResumeAsync(new QueueResume(Queue), Ct);
        Assert.Equal(id, (await FetchOneAsync())?.Id);
    }

    [Fact]
    public async Task Pause_NewQueue_CreatesItPaused()
    {
        await Store.QueuePauseAsync(new QueuePause("fresh"), Ct);

        var queue = Assert.Single(await Store.ListQueuesAsync(Ct));

        Assert.Equal(new QueueInfo("fresh", 0, 0, 0, 0, Paused: true), queue with { CountCap = null });
    }

    [Fact]
    public async Task Pause_Queue_EnqueueStillAccepted()
    {
        await Store.QueuePauseAsync(new QueuePause(Queue), Ct);

        var id = await EnqueueAsync();

        Assert.Equal(JobState.Available, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task Purge_Queue_RemovesOnlyAvailable()
    {
        var available = new[] { await EnqueueAsync(), await EnqueueAsync() };
        var (scheduled, _) = await PutInStateAsync(JobState.Scheduled);
        var (retrying, _) = await PutInStateAsync(JobState.Retrying);
        var (active, _) = await PutInStateAsync(JobState.Active);
        var (completed, _) = await PutInStateAsync(JobState.Completed);
        var elsewhere = await EnqueueAsync("other");

        Assert.Equal(2, await Store.QueuePurgeAsync(new QueuePurge(Queue), Ct));

        foreach (var id in available)
        {
            Assert.Null(await FindAsync(id));
        }

        Assert.Equal(JobState.Scheduled, (await GetAsync(scheduled)).State);
        Assert.Equal(JobState.Retrying, (await GetAsync(retrying)).State);
        Assert.Equal(JobState.Active, (await GetAsync(active)).State);
        Assert.Equal(JobState.Completed, (await GetAsync(completed)).State);
        Assert.Equal(JobState.Available, (await GetAsync(elsewhere)).State);
        Assert.Equal(1, (await Store.GetStatsAsync(Ct)).Counts[JobState.Available]);
    }

    [Fact]
    public async Task Purge_UnknownQueue_RemovesNothing()
    {
        await EnqueueAsync();

        Assert.Equal(0, await Store.QueuePurgeAsync(new QueuePurge("never-used"), Ct));
    }

    [Fact]
    public async Task ListQueues_Jobs_CountsPerStateByName()
    {
        await PutInStateAsync(JobState.Available, "b-queue");
        await PutInStateAsync(JobState.Available, "b-queue");
        await PutInStateAsync(JobState.Scheduled, "b-queue");
        await PutInStateAsync(JobState.Retrying, "b-queue");
        await PutInStateAsync(JobState.Active, "b-queue");
        await PutInStateAsync(JobState.Completed, "b-queue");
        await PutInStateAsync(JobState.Available, "a-queue");
        await Store.QueuePauseAsync(new QueuePause("a-queue"), Ct);

        var queues = await Store.ListQueuesAsync(Ct);

        Assert.Equal(
            [new QueueInfo("a-queue", 1, 0, 0, 0, true) { OldestAvailableAt = Now }, new QueueInfo("b-queue", 2, 1, 1, 1, false) { OldestAvailableAt = Now }],
            queues.Select(q => q with { CountCap = null })); // where a store stops counting is its own (none here reach it)
    }

    [Fact]
    public async Task ListQueues_QueueEmptied_StillListed()
    {
        var id = await EnqueueAsync();
        Assert.Equal(SettleStatus.Ok, await AckAsync(id, TokenOf(await FetchExpectedAsync(id))));

        var queue = Assert.Single(await Store.ListQueuesAsync(Ct));

        Assert.Equal(new QueueInfo(Queue, 0, 0, 0, 0, false), queue with { CountCap = null });
    }

    [Fact]
    public async Task ListQueues_AvailableJobs_OldestAvailableAtIsTheLongestWaiting()
    {
        var start = Now;
        await EnqueueAsync(Spec());
        Time.Advance(TimeSpan.FromSeconds(10));
        var urgent = await EnqueueAsync(Spec() with { Priority = JobDefaults.MaxPriority });
        Time.Advance(TimeSpan.FromSeconds(10));
        await EnqueueAsync(Spec());

        // The longest-waiting job is not the next to be fetched: a later one of higher priority is.
        Assert.Equal(start, await OldestAvailableAtAsync());
        Assert.Equal(urgent, (await FetchOneAsync())?.Id);
        Assert.Equal(start, await OldestAvailableAtAsync());
        await FetchOneAsync();
        Assert.Equal(start.AddSeconds(20), await OldestAvailableAtAsync());
        await FetchOneAsync();
        Assert.Null(await OldestAvailableAtAsync());
    }

    [Fact]
    public async Task ListQueues_PromotedJob_OldestAvailableAtIsWhenPromotedNotCreated()
    {
        await EnqueueAsync(Spec() with { RunAt = Now.AddMinutes(1) });
        Assert.Null(await OldestAvailableAtAsync());
        Time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(1, await Store.PromoteAsync(new JobsPromote(), Ct));

        Assert.Equal(Now, await OldestAvailableAtAsync());
    }

    private async ValueTask<DateTimeOffset?> OldestAvailableAtAsync() =>
        Assert.Single(await Store.ListQueuesAsync(Ct), q => q.Name == Queue).OldestAvailableAt;
}
