using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>
/// Every state × every operation, through the contract: a legal pair moves the job where
/// <see cref="JobTransitions"/> says; any other leaves it untouched and the result says so.
/// </summary>
public abstract class TransitionMatrixConformance : StoreConformanceBase
{
    /// <summary>Windows shorter than the hour that scheduled and retrying jobs wait, so pruning is testable.</summary>
    protected override RetentionPolicy Retention { get; } = new(TimeSpan.FromMinutes(1), 1000, TimeSpan.FromMinutes(1), 1000);

    public static TheoryData<JobState, JobOperation> Pairs()
    {
        var data = new TheoryData<JobState, JobOperation>();
        foreach (var state in JobStateNames.All)
        {
            foreach (var operation in Enum.GetValues<JobOperation>())
            {
                data.Add(state, operation);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Apply_StateAndOperation_FollowsTransitionTable(JobState state, JobOperation operation)
    {
        var (id, token) = await PutInStateAsync(state);
        var before = await GetAsync(id);
        var legal = JobTransitions.IsLegal(state, operation);

        var applied = await ApplyAsync(operation, id, token ?? "never-issued");
        var after = await FindAsync(id);

        Assert.Equal(legal, applied);
        if (!legal)
        {
            AssertUnchanged(before, after);
            return;
        }

        var target = JobTransitions.Target(operation, attemptsLeft: true);
        if (target is null)
        {
            Assert.Null(after);
        }
        else
        {
            Assert.NotNull(after);
            Assert.Equal(target, after.State);
        }
    }

    /// <summary>Applies <paramref name="operation"/> and reports whether the store says it took effect on the job.</summary>
    private async ValueTask<bool> ApplyAsync(JobOperation operation, string id, string token)
    {
        switch (operation)
        {
            case JobOperation.Fetch:
                return (await Store.FetchAsync(new JobFetch([Queue], 10, null), Ct)).Any(j => j.Id == id);
            case JobOperation.Ack:
                return await AckAsync(id, token) == SettleStatus.Ok;
            case JobOperation.Fail:
                return await FailAsync(id, token, TimeSpan.FromHours(1)) == SettleStatus.Ok;
            case JobOperation.Heartbeat:
                return (await Store.HeartbeatAsync(new JobHeartbeat(id, token), Ct)).Status == SettleStatus.Ok;
            case JobOperation.ExpireLease:
                Time.Advance(TimeSpan.FromSeconds(LeaseSeconds));
                return await Store.ExpireLeasesAsync(new LeasesExpire(), Ct) == 1;
            case JobOperation.Cancel:
                return await CommandAsync(Store.CancelAsync(new JobCancel(id), Ct));
            case JobOperation.Retry:
                return await CommandAsync(Store.RetryAsync(new JobRetry(id), Ct));
            case JobOperation.Promote:
                // Scheduled and retrying jobs are due an hour after they were put in their state.
                Time.Advance(TimeSpan.FromHours(1));
                return await Store.PromoteAsync(new JobsPromote(), Ct) == 1;
            case JobOperation.Prune:
                Time.Advance(TimeSpan.FromMinutes(2));
                return await Store.PruneAsync(new JobsPrune(), Ct) == 1;
            case JobOperation.Purge:
                return await Store.QueuePurgeAsync(new QueuePurge(Queue), Ct) == 1;
            case JobOperation.Kill:
                return await Store.KillAsync(new JobsKill([id]), Ct) == 1;
            case JobOperation.Discard:
                return await Store.DiscardAsync(new JobsDiscard([id]), Ct) == 1;
            case JobOperation.Requeue:
                return await Store.RequeueAsync(new JobsRequeue([id]), Ct) == 1;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, "unknown operation");
        }
    }

    private static async ValueTask<bool> CommandAsync(ValueTask<CommandResult> command)
    {
        var result = await command;
        Assert.NotEqual(CommandStatus.NotFound, result.Status);
        return result.Status == CommandStatus.Ok;
    }

    private static void AssertUnchanged(JobInfo before, JobInfo? after)
    {
        Assert.NotNull(after);
        Assert.Equal(before.State, after.State);
        Assert.Equal(before.Attempt, after.Attempt);
        Assert.Equal(before.RunAt, after.RunAt);
        Assert.Equal(before.FinishedAt, after.FinishedAt);
        Assert.Equal(before.Lease, after.Lease);
        Assert.Equal(before.Failures.Count, after.Failures.Count);
    }
}
