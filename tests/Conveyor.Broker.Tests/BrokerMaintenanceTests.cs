using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Broker.Tests;

public sealed class BrokerMaintenanceTests : IAsyncLifetime
{
    private BrokerHarness h = null!;

    public ValueTask InitializeAsync()
    {
        h = new BrokerHarness(new RetentionPolicy(TimeSpan.FromHours(1), 100, TimeSpan.FromDays(1), 100));
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => h.DisposeAsync();

    [Fact]
    public async Task RunMaintenanceOnce_ScheduledJobDue_MakesItAvailable()
    {
        var id = await h.EnqueueAsync(BrokerHarness.Spec() with { RunAt = h.Now.AddMinutes(5) });
        Advance(TimeSpan.FromMinutes(4));
        await h.Broker.RunMaintenanceOnceAsync(cancellationToken: BrokerHarness.Ct);
        Assert.Equal(JobState.Scheduled, (await h.GetAsync(id)).State);

        Advance(TimeSpan.FromMinutes(1));
        await h.Broker.RunMaintenanceOnceAsync(cancellationToken: BrokerHarness.Ct);

        Assert.Equal(JobState.Available, (await h.GetAsync(id)).State);
    }

    [Fact]
    public async Task RunMaintenanceOnce_MoreThanOneWriteHolds_PromotesExpiresAndPrunesThemAll()
    {
        // Each maintenance write moves at most MaintenanceBatch jobs; a pass repeats it until all are done.
        await using var small = new BrokerHarness(new RetentionPolicy(TimeSpan.FromHours(1), 1, TimeSpan.FromDays(1), 100), new BrokerOptions { MaintenanceBatch = 2 });
        var scheduled = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            scheduled.Add(await small.EnqueueAsync(BrokerHarness.Spec("later") with { RunAt = small.Now.AddMinutes(1) }));
        }

        var leased = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            leased.Add(await small.EnqueueAsync(BrokerHarness.Spec("leased")));
            Assert.NotNull(await small.FetchAsync("leased"));
        }

        for (var i = 0; i < 5; i++)
        {
            await small.EnqueueAsync(BrokerHarness.Spec("done"));
            var job = (await small.FetchAsync("done"))!;
            Assert.Equal(SettleStatus.Ok, await small.Broker.AckAsync(job.Id, job.Lease!.Token, BrokerHarness.Ct));
        }

        small.Time.Advance(TimeSpan.FromMinutes(2));
        await small.Broker.RunMaintenanceOnceAsync(cancellationToken: BrokerHarness.Ct);

        foreach (var id in scheduled)
        {
            Assert.Equal(JobState.Available, (await small.GetAsync(id)).State);
        }

        foreach (var id in leased)
        {
            Assert.Equal(JobState.Retrying, (await small.GetAsync(id)).State);
        }

        Assert.Equal(1, (await small.Store.GetStatsAsync(BrokerHarness.Ct)).Counts[JobState.Completed]);
        var totals = small.Broker.Maintenance;
        Assert.Equal((1L, 5L, 5L, 4L), (totals.Cycles, totals.Promoted, totals.LeasesExpired, totals.Pruned));

        await small.Broker.RunMaintenanceOnceAsync(cancellationToken: BrokerHarness.Ct);
        Assert.Equal((2L, 5L, 5L, 4L), (small.Broker.Maintenance.Cycles, small.Broker.Maintenance.Promoted, small.Broker.Maintenance.LeasesExpired, small.Broker.Maintenance.Pruned));
    }

    [Fact]
    public async Task RunMaintenanceOnce_LeaseExpired_RedeliversWithNewToken()
    {
        var id = await h.EnqueueAsync(BrokerHarness.Spec());
        var first = (await h.FetchAsync())!;
        Advance(TimeSpan.FromSeconds(60));

        await h.Broker.RunMaintenanceOnceAsync(cancellationToken: BrokerHarness.Ct);

        var retrying = await h.GetAsync(id);
        Assert.Equal(JobState.Retrying, retrying.State);
        Assert.Equal(JobFailure.LeaseExpiredType, Assert.Single(retrying.Failures).ErrorType);
        h.Time.SetUtcNow(retrying.RunAt!.Value);
        var second = await h.FetchAsync();
        Assert.NotNull(second);
        Assert.Equal(2, second.Attempt);
        Assert.NotEqual(first.Lease!.Token, second.Lease!.Token);
    }

    [Fact]
    public async Task Ack_TokenOfExpiredLeaseAfterRedelivery_Stale()
    {
        var id = await h.EnqueueAsync(BrokerHarness.Spec());
        var first = (await h.FetchAsync())!;
        Advance(TimeSpan.FromSeconds(61));
        await h.Broker.RunMaintenanceOnceAsync(cancellationToken: BrokerHarness.Ct);
        h.Time.SetUtcNow((await h.GetAsync(id)).RunAt!.Value);
        var second = (await h.FetchAsync())!;

        Assert.Equal(SettleStatus.Stale, await h.Broker.AckAsync(id, first.Lease!.Token, BrokerHarness.Ct));
        Assert.Equal(SettleStatus.Ok, await h.Broker.AckAsync(id, second.Lease!.Token, BrokerHarness.Ct));
        Assert.Equal(JobState.Completed, (await h.GetAsync(id)).State);
    }

    [Fact]
    public async Task Fail_SeveralTimes_FollowsBackoffSchedule()
    {
        var id = await h.EnqueueAsync(BrokerHarness.Spec());
        for (var n = 0; n < 6; n++)
        {
            var job = await h.FetchAsync();
            Assert.Equal(id, job?.Id);
            Assert.Equal(SettleStatus.Ok, await h.FailAsync(job!));

            var runAt = (await h.GetAsync(id)).RunAt!.Value;
            Assert.InRange(runAt - h.Now, Backoff.Exponential.DelayAfter(n, 0), Backoff.Exponential.DelayAfter(n, 29));
            h.Time.SetUtcNow(runAt - TimeSpan.FromSeconds(1));
            await h.Broker.RunMaintenanceOnceAsync(cancellationToken: BrokerHarness.Ct);
            Assert.Equal(JobState.Retrying, (await h.GetAsync(id)).State);
            Advance(TimeSpan.FromSeconds(1));
            await h.Broker.RunMaintenanceOnceAsync(cancellationToken: BrokerHarness.Ct);
            Assert.Equal(JobState.Available, (await h.GetAsync(id)).State);
        }
    }

    [Fact]
    public async Task Fail_MaxAttemptsReached_Dead()
    {
        var id = await h.EnqueueAsync(BrokerHarness.Spec() with { MaxAttempts = 3 });
        for (var i = 0; i < 3; i++)
        {
            var job = await h.FetchAsync();
            Assert.Equal(id, job?.Id);
            Assert.Equal(SettleStatus.Ok, await h.FailAsync(job!, TimeSpan.Zero));
        }

        var dead = await h.GetAsync(id);
        Assert.Equal(JobState.Dead, dead.State);
        Assert.Equal(3, dead.Attempt);
        Assert.Equal(3, dead.Failures.Count);
        Assert.Null(await h.FetchAsync());
    }

    [Fact]
    public async Task RunMaintenanceOnce_RetentionPassed_PrunesCompletedKeepsDead()
    {
        var done = await h.EnqueueAsync(BrokerHarness.Spec());
        Assert.Equal(SettleStatus.Ok, await h.Broker.AckAsync(done, (await h.FetchAsync())!.Lease!.Token, BrokerHarness.Ct));
        var dead = await h.EnqueueAsync(BrokerHarness.Spec() with { MaxAttempts = 1 });
        Assert.Equal(SettleStatus.Ok, await h.FailAsync((await h.FetchAsync())!));
        Advance(TimeSpan.FromHours(2));

        await h.Broker.RunMaintenanceOnceAsync(prune: false, cancellationToken: BrokerHarness.Ct);
        Assert.NotNull(await h.Broker.GetJobAsync(done, BrokerHarness.Ct));

        await h.Broker.RunMaintenanceOnceAsync(cancellationToken: BrokerHarness.Ct);
        Assert.Null(await h.Broker.GetJobAsync(done, BrokerHarness.Ct));
        Assert.Equal(JobState.Dead, (await h.GetAsync(dead)).State);

        Advance(TimeSpan.FromDays(1));
        await h.Broker.RunMaintenanceOnceAsync(cancellationToken: BrokerHarness.Ct);
        Assert.Null(await h.Broker.GetJobAsync(dead, BrokerHarness.Ct));
    }

    [Fact]
    public async Task PauseQueue_ThenResume_FetchesOnlyAfterResume()
    {
        var id = await h.EnqueueAsync(BrokerHarness.Spec());
        await h.Broker.PauseQueueAsync("default", BrokerHarness.Ct);

        Assert.Null(await h.FetchAsync());
        Assert.True(Assert.Single(await h.Broker.ListQueuesAsync(BrokerHarness.Ct)).Paused);

        await h.Broker.ResumeQueueAsync("default", BrokerHarness.Ct);
        Assert.Equal(id, (await h.FetchAsync())?.Id);
    }

    private void Advance(TimeSpan by) => h.Time.Advance(by);
}
