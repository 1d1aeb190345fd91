using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>
/// Execution timeouts: a job's <see cref="JobSpec.TimeoutSeconds"/> caps its lease and its heartbeats at the attempt's
/// deadline (timeout plus <see cref="JobDefaults.TimeoutGraceSeconds"/>), and an attempt still leased then fails with
/// <see cref="JobFailure.TimeoutType"/>, retried per its policy.
/// </summary>
public abstract class TimeoutConformance : StoreConformanceBase
{
    private const int Grace = JobDefaults.TimeoutGraceSeconds;

    private static JobSpec Timed(int timeoutSeconds) => Spec() with { TimeoutSeconds = timeoutSeconds };

    [Fact]
    public async Task Fetch_TimeoutShorterThanLease_LeaseEndsAtDeadline()
    {
        var id = await EnqueueAsync(Timed(10));

        var job = await FetchExpectedAsync(id);

        Assert.Equal(10, job.TimeoutSeconds);
        Assert.Equal(Now.AddSeconds(10 + Grace), job.Lease?.ExpiresAt);
    }

    [Fact]
    public async Task Fetch_TimeoutLongerThanLease_LeaseUnchanged()
    {
        var id = await EnqueueAsync(Timed(600));

        var job = await FetchExpectedAsync(id);

        Assert.Equal(Now.AddSeconds(LeaseSeconds), job.Lease?.ExpiresAt);
    }

    [Fact]
    public async Task Heartbeat_PastDeadline_CappedAtDeadline()
    {
        var id = await EnqueueAsync(Timed(100));
        var leasedAt = Now;
        var token = TokenOf(await FetchExpectedAsync(id));
        Time.Advance(TimeSpan.FromSeconds(50));

        var result = await Store.HeartbeatAsync(new JobHeartbeat(id, token, TimeSpan.FromHours(1)), Ct);

        Assert.Equal(SettleStatus.Ok, result.Status);
        Assert.Equal(leasedAt.AddSeconds(100 + Grace), result.ExpiresAt);
        Assert.Equal(leasedAt.AddSeconds(100 + Grace), (await GetAsync(id)).Lease?.ExpiresAt);
    }

    [Fact]
    public async Task Heartbeat_WithinDeadline_ExtendsAsUsual()
    {
        var id = await EnqueueAsync(Timed(600));
        var token = TokenOf(await FetchExpectedAsync(id));
        Time.Advance(TimeSpan.FromSeconds(30));

        var result = await Store.HeartbeatAsync(new JobHeartbeat(id, token), Ct);

        Assert.Equal(Now.AddSeconds(LeaseSeconds), result.ExpiresAt);
    }

    [Fact]
    public async Task Expire_AtDeadline_FailsWithTimeoutAndRetries()
    {
        var id = await EnqueueAsync(Timed(10));
        await FetchExpectedAsync(id);
        Time.Advance(TimeSpan.FromSeconds(10 + Grace - 1));
        Assert.Equal(0, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));
        Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));

        var job = await GetAsync(id);
        Assert.Equal(JobState.Retrying, job.State);
        Assert.Equal(JobFailure.TimeoutType, Assert.Single(job.Failures).ErrorType);
        AssertBackoff(Now, job.RunAt, 0);
    }

    [Fact]
    public async Task Expire_LastAttempt_TimeoutGoesDead()
    {
        var id = await EnqueueAsync(Timed(10) with { MaxAttempts = 1 });
        await FetchExpectedAsync(id);
        Time.Advance(TimeSpan.FromSeconds(10 + Grace));

        Assert.Equal(1, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));

        var job = await GetAsync(id);
        Assert.Equal(JobState.Dead, job.State);
        Assert.Equal(JobFailure.TimeoutType, Assert.Single(job.Failures).ErrorType);
    }

    [Fact]
    public async Task Expire_LeaseEndsBeforeDeadline_LeaseExpired()
    {
        var id = await EnqueueAsync(Timed(600));
        await FetchExpectedAsync(id);
        Time.Advance(TimeSpan.FromSeconds(LeaseSeconds));

        Assert.Equal(1, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));

        Assert.Equal(JobFailure.LeaseExpiredType, Assert.Single((await GetAsync(id)).Failures).ErrorType);
    }

    [Fact]
    public async Task Retry_NextAttempt_GetsItsOwnDeadline()
    {
        var id = await EnqueueAsync(Timed(10));
        await FetchExpectedAsync(id);
        Time.Advance(TimeSpan.FromSeconds(10 + Grace));
        await Store.ExpireLeasesAsync(new LeasesExpire(), Ct);
        Time.Advance(TimeSpan.FromDays(1));
        await Store.PromoteAsync(new JobsPromote(), Ct);

        var second = await FetchExpectedAsync(id);

        Assert.Equal(2, second.Attempt);
        Assert.Equal(Now.AddSeconds(10 + Grace), second.Lease?.ExpiresAt);
    }

    [Fact]
    public async Task Restart_ActiveJob_DeadlineKept()
    {
        var id = await EnqueueAsync(Timed(100));
        var leasedAt = Now;
        var token = TokenOf(await FetchExpectedAsync(id));

        await ReopenAsync();

        Assert.Equal(100, (await GetAsync(id)).TimeoutSeconds);
        var result = await Store.HeartbeatAsync(new JobHeartbeat(id, token, TimeSpan.FromHours(1)), Ct);
        Assert.Equal(leasedAt.AddSeconds(100 + Grace), result.ExpiresAt);
        Time.Advance(TimeSpan.FromSeconds(100 + Grace));
        Assert.Equal(1, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));
        Assert.Equal(JobFailure.TimeoutType, Assert.Single((await GetAsync(id)).Failures).ErrorType);
    }

    [Fact]
    public async Task NoTimeout_InfoHasNone()
    {
        var id = await EnqueueAsync();

        Assert.Null((await FetchExpectedAsync(id)).TimeoutSeconds);
    }
}
