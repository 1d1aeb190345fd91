using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>Cancel and operator retry: where each applies, and what a refusal says.</summary>
public abstract class CancelRetryConformance : StoreConformanceBase
{
    [Theory]
    [InlineData(JobState.Scheduled)]
    [InlineData(JobState.Available)]
    [InlineData(JobState.Active)]
    [InlineData(JobState.Retrying)]
    public async Task Cancel_Unfinished_Cancels(JobState state)
    {
        var (id, _) = await PutInStateAsync(state);
        Time.Advance(TimeSpan.FromSeconds(2));

        var result = await Store.CancelAsync(new JobCancel(id), Ct);

        Assert.Equal(new CommandResult(CommandStatus.Ok, JobState.Cancelled), result);
        var job = await GetAsync(id);
        Assert.Equal(JobState.Cancelled, job.State);
        Assert.Equal(Now, job.FinishedAt);
        Assert.Null(await FetchOneAsync());
    }

    [Theory]
    [InlineData(JobState.Completed)]
    [InlineData(JobState.Dead)]
    [InlineData(JobState.Cancelled)]
    public async Task Cancel_Finished_ConflictNamingState(JobState state)
    {
        var (id, _) = await PutInStateAsync(state);
        var before = await GetAsync(id);

        var result = await Store.CancelAsync(new JobCancel(id), Ct);

        Assert.Equal(new CommandResult(CommandStatus.Conflict, state), result);
        Assert.Contains(state.ToName(), result.Describe(JobOperation.Cancel), StringComparison.Ordinal);
        var after = await GetAsync(id);
        Assert.Equal(before.State, after.State);
        Assert.Equal(before.FinishedAt, after.FinishedAt);
    }

    [Fact]
    public async Task Cancel_Unknown_NotFound()
    {
        Assert.Equal(CommandStatus.NotFound, (await Store.CancelAsync(new JobCancel("no-such-job"), Ct)).Status);
    }

    [Fact]
    public async Task Cancel_Active_OldTokenIsStale()
    {
        var (id, token) = await PutInStateAsync(JobState.Active);
        Assert.Equal(CommandStatus.Ok, (await Store.CancelAsync(new JobCancel(id), Ct)).Status);

        Assert.Equal(SettleStatus.Stale, await AckAsync(id, token!));
        Assert.Equal(SettleStatus.Stale, await FailAsync(id, token!));
        Assert.Equal(SettleStatus.Stale, (await Store.HeartbeatAsync(new JobHeartbeat(id, token!), Ct)).Status);
        Assert.Equal(JobState.Cancelled, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task Cancel_Active_LeaseNotExpiredLater()
    {
        var (id, _) = await PutInStateAsync(JobState.Active);
        Assert.Equal(CommandStatus.Ok, (await Store.CancelAsync(new JobCancel(id), Ct)).Status);
        Time.Advance(TimeSpan.FromSeconds(LeaseSeconds + 1));

        Assert.Equal(0, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));
        Assert.Equal(JobState.Cancelled, (await GetAsync(id)).State);
    }

    [Theory]
    [InlineData(JobState.Dead)]
    [InlineData(JobState.Retrying)]
    public async Task Retry_DeadOrRetrying_AvailableNow(JobState state)
    {
        var (id, _) = await PutInStateAsync(state);
        var before = await GetAsync(id);

        var result = await Store.RetryAsync(new JobRetry(id), Ct);

        Assert.Equal(new CommandResult(CommandStatus.Ok, JobState.Available), result);
        var after = await GetAsync(id);
        Assert.Equal(JobState.Available, after.State);
        Assert.Equal(before.Attempt, after.Attempt);
        Assert.Equal(before.Failures.Count, after.Failures.Count);
        Assert.Equal(id, (await FetchOneAsync())?.Id);
    }

    [Fact]
    public async Task Retry_Dead_GetsExactlyOneMoreAttempt()
    {
        var (id, _) = await PutInStateAsync(JobState.Dead);
        Assert.Equal(CommandStatus.Ok, (await Store.RetryAsync(new JobRetry(id), Ct)).Status);

        var job = await FetchExpectedAsync(id);
        Assert.Equal(2, job.Attempt);
        Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(job)));

        var dead = await GetAsync(id);
        Assert.Equal(JobState.Dead, dead.State);
        Assert.Equal([1, 2], dead.Failures.Select(f => f.Attempt));
    }

    [Theory]
    [InlineData(JobState.Scheduled)]
    [InlineData(JobState.Available)]
    [InlineData(JobState.Active)]
    [InlineData(JobState.Completed)]
    [InlineData(JobState.Cancelled)]
    public async Task Retry_OtherStates_ConflictNamingState(JobState state)
    {
        var (id, _) = await PutInStateAsync(state);

        var result = await Store.RetryAsync(new JobRetry(id), Ct);

        Assert.Equal(new CommandResult(CommandStatus.Conflict, state), result);
        Assert.Equal(JobTransitions.Describe(state, JobOperation.Retry), result.Describe(JobOperation.Retry));
        Assert.Equal(state, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task Retry_Unknown_NotFound()
    {
        Assert.Equal(CommandStatus.NotFound, (await Store.RetryAsync(new JobRetry("no-such-job"), Ct)).Status);
    }
}
