using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>Restart: closing and reopening the store on the same data changes nothing a client can see.</summary>
public abstract class RestartConformance : StoreConformanceBase
{
    [Fact]
    public async Task Reopen_JobsInEveryState_SameAsBefore()
    {
        var ids = new List<string>();
        foreach (var state in JobStateNames.All)
        {
            ids.Add((await PutInStateAsync(state)).Id);
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        var before = new List<JobInfo>();
        foreach (var id in ids)
        {
            before.Add(await GetAsync(id));
        }

        await ReopenAsync();

        foreach (var expected in before)
        {
            AssertSameJob(expected, await GetAsync(expected.Id));
        }
    }

    [Fact]
    public async Task Reopen_TotalsAndPausedQueues_SameAsBefore()
    {
        await PutInStateAsync(JobState.Completed);
        await PutInStateAsync(JobState.Completed);
        await PutInStateAsync(JobState.Dead);
        await Store.QueuePauseAsync(new QueuePause("paused"), Ct);
        await Store.QueuePauseAsync(new QueuePause("resumed"), Ct);
        await Store.QueueResumeAsync(new QueueResume("resumed"), Ct);
        var statsBefore = await Store.GetStatsAsync(Ct);
        var queuesBefore = await Store.ListQueuesAsync(Ct);

        await ReopenAsync();

        var statsAfter = await Store.GetStatsAsync(Ct);
        Assert.Equal(2, statsAfter.Processed);
        Assert.Equal(1, statsAfter.Failed);
        Assert.Equal(statsBefore.Counts.OrderBy(c => c.Key), statsAfter.Counts.OrderBy(c => c.Key));
        Assert.Equal(queuesBefore, await Store.ListQueuesAsync(Ct));
        Assert.Null(await FetchOneAsync("paused"));
    }

    [Fact]
    public async Task Reopen_RemovedQueue_StaysGone()
    {
        await EnqueueAsync("kept");
        await Store.QueuePauseAsync(new QueuePause("emptied"), Ct);
        await Store.QueueResumeAsync(new QueueResume("emptied"), Ct);
        var (dead, _) = await PutInStateAsync(JobState.Dead);
        Assert.Equal(QueueRemoveStatus.Removed, await Store.QueueRemoveAsync(new QueueRemove("emptied"), Ct));
        Assert.Equal(QueueRemoveStatus.Removed, await Store.QueueRemoveAsync(new QueueRemove(Queue), Ct));

        await ReopenAsync();

        Assert.Equal(["kept"], (await Store.ListQueuesAsync(Ct)).Select(q => q.Name));
        Assert.Equal(QueueRemoveStatus.NotFound, await Store.QueueRemoveAsync(new QueueRemove("emptied"), Ct));

        // The removed queue's finished job is still there, and retrying it brings its queue back.
        Assert.Equal(CommandStatus.Ok, (await Store.RetryAsync(new JobRetry(dead), Ct)).Status);
        Assert.Equal(dead, (await FetchOneAsync())?.Id);
        Assert.Equal(["conformance", "kept"], (await Store.ListQueuesAsync(Ct)).Select(q => q.Name));
    }

    [Fact]
    public async Task Reopen_LeasedBefore_AckWithSameTokenAfter()
    {
        var (id, token) = await PutInStateAsync(JobState.Active);

        await ReopenAsync();

        Assert.Equal(SettleStatus.Ok, await AckAsync(id, token!));
        Assert.Equal(JobState.Completed, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task Reopen_LeasedBefore_ExpiresAtSameDeadline()
    {
        var (id, token) = await PutInStateAsync(JobState.Active);

        await ReopenAsync();
        Time.Advance(TimeSpan.FromSeconds(LeaseSeconds - 1));
        Assert.Equal(0, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));
        Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));
        Assert.Equal(SettleStatus.Stale, await AckAsync(id, token!));
    }

    [Fact]
    public async Task Reopen_SettledBefore_OldTokenStillStale()
    {
        var (id, token) = await PutInStateAsync(JobState.Completed);

        await ReopenAsync();

        Assert.Equal(SettleStatus.Stale, await AckAsync(id, token!));
    }

    [Fact]
    public async Task Reopen_ExistingIdAndUniqueKey_StillDeduplicate()
    {
        await EnqueueAsync(Spec() with { Id = "kept" });
        var holder = await EnqueueAsync(Spec() with { UniqueKey = "once", UniqueForSeconds = 3600 });

        await ReopenAsync();

        var result = await Store.EnqueueAsync(
            new JobEnqueue([Spec() with { Id = "kept" }, Spec() with { UniqueKey = "once", UniqueForSeconds = 3600 }]), Ct);
        Assert.Equal([new EnqueuedJob("kept", false), new EnqueuedJob(holder, false) { UniqueHeld = true }], result.Jobs);
    }

    [Fact]
    public async Task Reopen_FetchAfter_TokenNeverReused()
    {
        var tokens = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            tokens.Add((await PutInStateAsync(JobState.Active)).Token!);
        }

        var id = await EnqueueAsync();
        await ReopenAsync();

        tokens.Add(TokenOf(await FetchExpectedAsync(id)));
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
    }

    [Fact]
    public async Task Reopen_DeadFalseJobs_FlagKeptAndStillDiscarded()
    {
        var result = await Store.EnqueueAsync(new JobEnqueue([
            Spec() with { Id = "discarded", MaxAttempts = 1, Dead = false, Priority = JobDefaults.MaxPriority },
            Spec() with { Id = "kept", MaxAttempts = 1 }]), Ct);
        Assert.All(result.Jobs, job => Assert.True(job.Created));

        await ReopenAsync();

        Assert.False((await GetAsync("discarded")).Dead);
        Assert.True((await GetAsync("kept")).Dead);
        Assert.Equal(SettleStatus.Ok, await FailAsync("discarded", TokenOf(await FetchExpectedAsync("discarded"))));
        Assert.Null(await FindAsync("discarded"));
    }

    [Fact]
    public async Task Reopen_DiscardedOnFailBefore_StaysRemovedAndCounted()
    {
        var id = await EnqueueAsync(Spec() with { MaxAttempts = 1, Dead = false });
        Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(await FetchExpectedAsync(id))));

        await ReopenAsync();

        Assert.Null(await FindAsync(id));
        var stats = await Store.GetStatsAsync(Ct);
        Assert.Equal(1, stats.Failed);
        Assert.Equal(0, stats.Counts[JobState.Dead]);
    }

    [Fact]
    public async Task Reopen_Twice_StillSame()
    {
        var (id, _) = await PutInStateAsync(JobState.Retrying);
        var before = await GetAsync(id);

        await ReopenAsync();
        await ReopenAsync();

        AssertSameJob(before, await GetAsync(id));
    }

    private static void AssertSameJob(JobInfo expected, JobInfo actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Queue, actual.Queue);
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Args.ToArray(), actual.Args.ToArray());
        Assert.Equal(expected.Priority, actual.Priority);
        Assert.Equal(expected.State, actual.State);
        Assert.Equal(expected.Attempt, actual.Attempt);
        Assert.Equal(expected.MaxAttempts, actual.MaxAttempts);
        Assert.Equal(expected.Dead, actual.Dead);
        Assert.Equal(expected.LeaseSeconds, actual.LeaseSeconds);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.RunAt, actual.RunAt);
        Assert.Equal(expected.FinishedAt, actual.FinishedAt);
        Assert.Equal(expected.UniqueKey, actual.UniqueKey);
        Assert.Equal(expected.Tags, actual.Tags);
        Assert.Equal(expected.Meta.OrderBy(m => m.Key), actual.Meta.OrderBy(m => m.Key));
        Assert.Equal(expected.Backoff, actual.Backoff);
        Assert.Equal(expected.Lease, actual.Lease);
        Assert.Equal(expected.Failures.Count, actual.Failures.Count);
        for (var i = 0; i < expected.Failures.Count; i++)
        {
            var (e, a) = (expected.Failures[i], actual.Failures[i]);
            Assert.Equal((e.Attempt, e.At, e.ErrorType, e.Message), (a.Attempt, a.At, a.ErrorType, a.Message));
            Assert.Equal(e.Backtrace, a.Backtrace);
        }
    }

    [Fact]
    public async Task Reopen_WaitingJobs_FetchOrderKept()
    {
        var a = await EnqueueAsync(Spec() with { Priority = 3 });
        var b = await EnqueueAsync(Spec() with { Priority = 7 });
        var c = await EnqueueAsync(Spec() with { Priority = 3 });
        var d = await EnqueueAsync(Spec() with { Priority = 7 });

        await ReopenAsync();

        var order = new List<string>();
        while (await FetchOneAsync() is { } job)
        {
            order.Add(job.Id);
        }

        Assert.Equal([b, d, a, c], order);
    }

    [Fact]
    public async Task Reopen_ScheduledAndRetrying_PromotedWhenDue()
    {
        var (scheduled, _) = await PutInStateAsync(JobState.Scheduled);
        var (retrying, _) = await PutInStateAsync(JobState.Retrying);

        await ReopenAsync();
        Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(2, await Store.PromoteAsync(new JobsPromote(), Ct));
        Assert.Equal(JobState.Available, (await GetAsync(scheduled)).State);
        Assert.Equal(JobState.Available, (await GetAsync(retrying)).State);
    }

    [Fact]
    public async Task Reopen_PurgedAndPruned_StayGone()
    {
        var purged = await EnqueueAsync("purged");
        Assert.Equal(1, await Store.QueuePurgeAsync(new QueuePurge("purged"), Ct));
        var (pruned, _) = await PutInStateAsync(JobState.Completed);
        Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await Store.PruneAsync(new JobsPrune(), Ct));

        await ReopenAsync();

        Assert.Null(await FindAsync(purged));
        Assert.Null(await FindAsync(pruned));
        Assert.Equal(1, (await Store.GetStatsAsync(Ct)).Processed);
    }

    [Fact]
    public async Task Reopen_UniqueKeyWindow_StillMeasuredFromCreation()
    {
        var spec = Spec() with { UniqueKey = "window", UniqueForSeconds = 600 };
        var holder = await EnqueueAsync(spec);
        Time.Advance(TimeSpan.FromSeconds(300));

        await ReopenAsync();
        Assert.Equal(new EnqueuedJob(holder, false) { UniqueHeld = true }, Assert.Single((await Store.EnqueueAsync(new JobEnqueue([spec]), Ct)).Jobs));
        Time.Advance(TimeSpan.FromSeconds(301));

        Assert.True(Assert.Single((await Store.EnqueueAsync(new JobEnqueue([spec]), Ct)).Jobs).Created);
    }

    [Fact]
    public async Task Reopen_AvailableJobs_OldestAvailableAtKept()
    {
        await EnqueueAsync(Spec() with { RunAt = Now.AddMinutes(1) });
        Time.Advance(TimeSpan.FromMinutes(5));
        await Store.PromoteAsync(new JobsPromote(), Ct);
        var promotedAt = Now;
        Time.Advance(TimeSpan.FromMinutes(5));
        await EnqueueAsync("later");

        await ReopenAsync();

        var queues = await Store.ListQueuesAsync(Ct);
        Assert.Equal(promotedAt, Assert.Single(queues, q => q.Name == Queue).OldestAvailableAt);
        Assert.Equal(Now, Assert.Single(queues, q => q.Name == "later").OldestAvailableAt);
    }
}
