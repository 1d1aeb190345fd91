using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>Queue removal (an empty, unpaused queue is deleted, for good) and the paged queue list.</summary>
public abstract class QueueRemoveConformance : StoreConformanceBase
{
    [Fact]
    public async Task Remove_EmptyQueue_GoneFromTheList()
    {
        var id = await EnqueueAsync();
        await EnqueueAsync("other");
        Assert.Equal(SettleStatus.Ok, await AckAsync(id, TokenOf(await FetchExpectedAsync(id))));

        Assert.Equal(QueueRemoveStatus.Removed, await RemoveAsync(Queue));

        Assert.Equal(["other"], (await Store.ListQueuesAsync(Ct)).Select(q => q.Name));
        Assert.Equal(QueueRemoveStatus.NotFound, await RemoveAsync(Queue));
    }

    [Theory]
    [InlineData(JobState.Available)]
    [InlineData(JobState.Scheduled)]
    [InlineData(JobState.Retrying)]
    [InlineData(JobState.Active)]
    public async Task Remove_QueueWithALiveJob_NotEmptyAndNothingChanges(JobState state)
    {
        var (id, _) = await PutInStateAsync(state);
        var before = await Store.ListQueuesAsync(Ct);

        Assert.Equal(QueueRemoveStatus.NotEmpty, await RemoveAsync(Queue));

        Assert.Equal(before, await Store.ListQueuesAsync(Ct));
        Assert.Equal(state, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task Remove_PausedEmptyQueue_PausedAndKept()
    {
        await Store.QueuePauseAsync(new QueuePause(Queue), Ct);

        Assert.Equal(QueueRemoveStatus.Paused, await RemoveAsync(Queue));

        Assert.True(Assert.Single(await Store.ListQueuesAsync(Ct)).Paused);
    }

    [Fact]
    public async Task Remove_UnknownQueue_NotFound()
    {
        Assert.Equal(QueueRemoveStatus.NotFound, await RemoveAsync("never-used"));
    }

    [Fact]
    public async Task Remove_QueueWithOnlyFinishedJobs_RemovedAndTheJobsStay()
    {
        var (completed, _) = await PutInStateAsync(JobState.Completed);
        var (dead, _) = await PutInStateAsync(JobState.Dead);
        var (cancelled, _) = await PutInStateAsync(JobState.Cancelled);

        Assert.Equal(QueueRemoveStatus.Removed, await RemoveAsync(Queue));

        Assert.Empty(await Store.ListQueuesAsync(Ct));
        Assert.Equal(Queue, (await GetAsync(completed)).Queue);
        Assert.Equal(JobState.Dead, (await GetAsync(dead)).State);
        Assert.Equal(JobState.Cancelled, (await GetAsync(cancelled)).State);
        Assert.Single((await Store.ListJobsAsync(new JobList(Queue: Queue, State: JobState.Completed), Ct)).Jobs);
    }

    [Fact]
    public async Task Remove_ThenRetryAFinishedJob_QueueComesBackWithIt()
    {
        var (dead, _) = await PutInStateAsync(JobState.Dead);
        Assert.Equal(QueueRemoveStatus.Removed, await RemoveAsync(Queue));

        Assert.Equal(CommandStatus.Ok, (await Store.RetryAsync(new JobRetry(dead), Ct)).Status);

        Assert.Equal(new QueueInfo(Queue, 1, 0, 0, 0, false) { OldestAvailableAt = Now }, Assert.Single(await Store.ListQueuesAsync(Ct)) with { CountCap = null });
        Assert.Equal(dead, (await FetchOneAsync())?.Id);
    }

    [Fact]
    public async Task Remove_ThenEnqueue_QueueMadeAnew()
    {
        await Store.QueuePauseAsync(new QueuePause(Queue), Ct);
        await Store.QueueResumeAsync(new QueueResume(Queue), Ct);
        Assert.Equal(QueueRemoveStatus.Removed, await RemoveAsync(Queue));

        var id = await EnqueueAsync();

        Assert.False(Assert.Single(await Store.ListQueuesAsync(Ct)).Paused);
        Assert.Equal(id, (await FetchOneAsync())?.Id);
    }

    [Fact]
    public async Task ListQueuesPage_SeveralPages_EveryQueueOnceByName()
    {
        string[] names = ["q07", "q03", "q10", "q01", "q05", "q02", "q09", "q04", "q08", "q06"];
        foreach (var name in names)
        {
            await Store.QueuePauseAsync(new QueuePause(name), Ct);
        }

        var seen = new List<string>();
        var pages = 0;
        string? after = null;
        do
        {
            var page = await Store.ListQueuesAsync(new QueueList(3, after), Ct);
            Assert.InRange(page.Queues.Count, 1, 3);
            seen.AddRange(page.Queues.Select(q => q.Name));
            after = page.Next;
            pages++;
        }
        while (after is not null);

        Assert.Equal(4, pages);
        Assert.Equal(names.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task ListQueuesPage_ExactlyFull_NoNextPage()
    {
        await EnqueueAsync("a");
        await EnqueueAsync("b");

        var page = await Store.ListQueuesAsync(new QueueList(2), Ct);

        Assert.Equal(["a", "b"], page.Queues.Select(q => q.Name));
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task ListQueuesPage_AfterAName_StartsPastItEvenIfItIsGone()
    {
        await EnqueueAsync("a");
        await EnqueueAsync("c");

        var page = await Store.ListQueuesAsync(new QueueList(10, "b"), Ct);

        Assert.Equal(["c"], page.Queues.Select(q => q.Name));
        Assert.Null(page.Next);
    }

    /// <summary>Removes a queue.</summary>
    protected ValueTask<QueueRemoveStatus> RemoveAsync(string name) => Store.QueueRemoveAsync(new QueueRemove(name), Ct);
}
