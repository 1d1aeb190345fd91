using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>Settle: ack and fail with the current token, back-off, dead, history, and refusals.</summary>
public abstract class SettleConformance : StoreConformanceBase
{
    [Fact]
    public async Task Ack_CurrentToken_Completes()
    {
        var id = await EnqueueAsync();
        var token = TokenOf(await FetchExpectedAsync(id));
        Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(SettleStatus.Ok, await AckAsync(id, token));

        var job = await GetAsync(id);
        Assert.Equal(JobState.Completed, job.State);
        Assert.Equal(Now, job.FinishedAt);
        Assert.Equal(1, job.Attempt);
    }

    [Fact]
    public async Task Fail_AttemptsLeft_RetriesAfterBackoff()
    {
        var id = await EnqueueAsync();
        var token = TokenOf(await FetchExpectedAsync(id));
        Time.Advance(TimeSpan.FromSeconds(7));

        Assert.Equal(SettleStatus.Ok, await FailAsync(id, token, message: "smtp down"));

        var job = await GetAsync(id);
        Assert.Equal(JobState.Retrying, job.State);
        AssertBackoff(Now, job.RunAt, n: 0);
        var failure = Assert.Single(job.Failures);
        Assert.Equal(1, failure.Attempt);
        Assert.Equal(Now, failure.At);
        Assert.Equal("System.InvalidOperationException", failure.ErrorType);
        Assert.Equal("smtp down", failure.Message);
        Assert.Equal(["at Worker.Run()"], failure.Backtrace);
        Assert.Null(job.FinishedAt);
    }

    [Fact]
    public async Task Fail_SeveralTimes_BackoffGrowsPerFailureIndex()
    {
        var id = await EnqueueAsync();
        for (var n = 0; n < 5; n++)
        {
            var job = await FetchOneAsync();
            Assert.Equal(id, job?.Id);
            Assert.Equal(n + 1, job!.Attempt);
            Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(job)));

            var retrying = await GetAsync(id);
            Assert.Equal(JobState.Retrying, retrying.State);
            AssertBackoff(Now, retrying.RunAt, n);
            Time.SetUtcNow(retrying.RunAt!.Value);
        }
    }

    [Fact]
    public async Task Fail_FixedBackoff_RetriesAfterFixedDelay()
    {
        var id = await EnqueueAsync(Spec() with { Backoff = Backoff.Fixed(42) });

        Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(await FetchExpectedAsync(id))));

        Assert.Equal(Now.AddSeconds(42), (await GetAsync(id)).RunAt);
    }

    [Fact]
    public async Task Fail_RetryIn_OverridesBackoff()
    {
        var id = await EnqueueAsync();

        Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(await FetchExpectedAsync(id)), TimeSpan.FromSeconds(3)));

        Assert.Equal(Now.AddSeconds(3), (await GetAsync(id)).RunAt);
    }

    [Fact]
    public async Task Fail_AttemptsExhausted_Dead()
    {
        var id = await EnqueueAsync(Spec() with { MaxAttempts = 2 });
        Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(await FetchExpectedAsync(id)), TimeSpan.Zero));
        var second = await FetchExpectedAsync(id);
        Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(second)));

        var job = await GetAsync(id);
        Assert.Equal(JobState.Dead, job.State);
        Assert.Equal(2, job.Attempt);
        Assert.Equal(Now, job.FinishedAt);
        Assert.Equal([1, 2], job.Failures.Select(f => f.Attempt));
        Assert.Null(await FetchOneAsync());
    }

    [Fact]
    public async Task Fail_MoreThanHistoryLimit_KeepsNewestTen()
    {
        var id = await EnqueueAsync(Spec() with { MaxAttempts = 12 });
        for (var i = 1; i <= 12; i++)
        {
            var job = await FetchExpectedAsync(id);
            Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(job), TimeSpan.Zero, message: $"failure {i}"));
        }

        var dead = await GetAsync(id);

        Assert.Equal(JobState.Dead, dead.State);
        Assert.Equal(JobFailure.HistoryLimit, dead.Failures.Count);
        Assert.Equal(Enumerable.Range(3, 10), dead.Failures.Select(f => f.Attempt));
        Assert.Equal("failure 12", dead.Failures[^1].Message);
    }

    [Fact]
    public async Task Settle_WrongToken_StaleAndJobUnchanged()
    {
        var id = await EnqueueAsync();
        var lease = (await FetchExpectedAsync(id)).Lease;

        Assert.Equal(SettleStatus.Stale, await AckAsync(id, "not-the-token"));
        Assert.Equal(SettleStatus.Stale, await FailAsync(id, "not-the-token"));

        var job = await GetAsync(id);
        Assert.Equal(JobState.Active, job.State);
        Assert.Equal(lease, job.Lease);
        Assert.Empty(job.Failures);
    }

    [Fact]
    public async Task Settle_AnotherJobsToken_StaleAndBothUnchanged()
    {
        var first = await EnqueueAsync();
        var second = await EnqueueAsync();
        var firstToken = TokenOf(await FetchExpectedAsync(first));
        var secondToken = TokenOf(await FetchExpectedAsync(second));

        Assert.Equal(SettleStatus.Stale, await AckAsync(first, secondToken));
        Assert.Equal(SettleStatus.Stale, await FailAsync(second, firstToken));
        Assert.Equal(SettleStatus.Unknown, await AckAsync("no-such-job", firstToken));

        Assert.Equal(JobState.Active, (await GetAsync(first)).State);
        Assert.Equal(JobState.Active, (await GetAsync(second)).State);
        Assert.Equal(SettleStatus.Ok, await AckAsync(first, firstToken));
        Assert.Equal(SettleStatus.Ok, await AckAsync(second, secondToken));
    }

    [Fact]
    public async Task Settle_LeasedAgainAfterFailure_OnlyTheNewTokenSettles()
    {
        var id = await EnqueueAsync();
        var oldToken = TokenOf(await FetchExpectedAsync(id));
        Assert.Equal(SettleStatus.Ok, await FailAsync(id, oldToken, retryIn: TimeSpan.Zero));
        Time.Advance(TimeSpan.FromSeconds(1));
        var newToken = TokenOf(await FetchExpectedAsync(id));

        Assert.Equal(SettleStatus.Stale, await AckAsync(id, oldToken));
        Assert.Equal(SettleStatus.Ok, await AckAsync(id, newToken));
        Assert.Equal(2, (await GetAsync(id)).Attempt);
    }

    [Fact]
    public async Task Settle_AlreadyAcked_Stale()
    {
        var id = await EnqueueAsync();
        var token = TokenOf(await FetchExpectedAsync(id));
        Assert.Equal(SettleStatus.Ok, await AckAsync(id, token));

        Assert.Equal(SettleStatus.Stale, await AckAsync(id, token));
        Assert.Equal(SettleStatus.Stale, await FailAsync(id, token));
        Assert.Equal(JobState.Completed, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task Settle_SameLeaseTwiceInOneBatch_SettlesOnceAndTheRestAreStale()
    {
        var (a, b) = (await EnqueueAsync(), await EnqueueAsync());
        var leased = await Store.FetchAsync(new JobFetch([Queue], 2, null), Ct);
        var token = leased.ToDictionary(j => j.Id, TokenOf);
        var request = new JobSettle(
            [new JobAck(a, token[a]), new JobAck(b, token[b]), new JobAck(a, token[a])],
            [new JobFail(b, token[b], "E", "m", []), new JobFail(a, token[a], "E", "m", [])]);

        var results = await Store.SettleAsync(request, Ct);

        Assert.Equal(
            [SettleStatus.Ok, SettleStatus.Ok, SettleStatus.Stale, SettleStatus.Stale, SettleStatus.Stale],
            results.Select(r => r.Status));
        Assert.Equal([a, b, a, b, a], results.Select(r => r.Id.ToString()));
        var job = await GetAsync(a);
        Assert.Equal(JobState.Completed, job.State);
        Assert.Empty(job.Failures);
        Assert.Equal(JobState.Completed, (await GetAsync(b)).State);
    }

    [Fact]
    public async Task Settle_WorkerIdOfAnotherHolder_StaleAndLeaseKept()
    {
        var (a, b) = (await EnqueueAsync(), await EnqueueAsync());
        var leased = await Store.FetchAsync(new JobFetch([Queue], 2, "worker-1"), Ct);
        var token = leased.ToDictionary(j => j.Id, TokenOf);
        var request = new JobSettle(
            [new JobAck(a, token[a]) { WorkerId = "worker-2" }],
            [new JobFail(b, token[b], "E", "m", []) { WorkerId = "worker-2" }]);

        var results = await Store.SettleAsync(request, Ct);

        Assert.Equal([SettleStatus.Stale, SettleStatus.Stale], results.Select(r => r.Status));
        foreach (var id in new[] { a, b })
        {
            var job = await GetAsync(id);
            Assert.Equal(JobState.Active, job.State);
            Assert.Equal(token[id], job.Lease?.Token);
            Assert.Equal("worker-1", job.Lease?.WorkerId);
            Assert.Empty(job.Failures);
        }
    }

    [Fact]
    public async Task Settle_WorkerIdOfTheHolder_Settles()
    {
        var (a, b) = (await EnqueueAsync(), await EnqueueAsync());
        var leased = await Store.FetchAsync(new JobFetch([Queue], 2, "worker-1"), Ct);
        var token = leased.ToDictionary(j => j.Id, TokenOf);
        var request = new JobSettle(
            [new JobAck(a, token[a]) { WorkerId = "worker-1" }],
            [new JobFail(b, token[b], "E", "m", []) { WorkerId = "worker-1" }]);

        var results = await Store.SettleAsync(request, Ct);

        Assert.Equal([SettleStatus.Ok, SettleStatus.Ok], results.Select(r => r.Status));
        Assert.Equal(JobState.Completed, (await GetAsync(a)).State);
        Assert.Equal(JobState.Retrying, (await GetAsync(b)).State);
    }

    [Fact]
    public async Task Settle_WorkerIdGivenForALeaseWithoutOne_Stale()
    {
        var id = await EnqueueAsync();
        var leased = Assert.Single(await Store.FetchAsync(new JobFetch([Queue], 1, null), Ct));

        var results = await Store.SettleAsync(new JobSettle([new JobAck(id, TokenOf(leased)) { WorkerId = "worker-1" }], []), Ct);

        Assert.Equal(SettleStatus.Stale, Assert.Single(results).Status);
        Assert.Equal(JobState.Active, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task Settle_UnknownId_Unknown()
    {
        Assert.Equal(SettleStatus.Unknown, await AckAsync("no-such-job", "token"));
        Assert.Equal(SettleStatus.Unknown, await FailAsync("no-such-job", "token"));
    }

    [Fact]
    public async Task Settle_MixedBatch_ResultsAcksThenFailsInOrder()
    {
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await EnqueueAsync());
        }

        var leased = await Store.FetchAsync(new JobFetch([Queue], 4, null), Ct);
        var token = leased.ToDictionary(j => j.Id, TokenOf);
        var request = new JobSettle(
            [new JobAck(ids[0], token[ids[0]]), new JobAck("ghost", "t"), new JobAck(ids[1], "stale")],
            [new JobFail(ids[2], token[ids[2]], "E", "m", []), new JobFail(ids[3], "stale", "E", "m", []), new JobFail("ghost-2", "t", "E", "m", [])]);

        var results = await Store.SettleAsync(request, Ct);

        Assert.Equal(
            [
                new SettleResult(ids[0], SettleStatus.Ok), new SettleResult("ghost", SettleStatus.Unknown),
                new SettleResult(ids[1], SettleStatus.Stale), new SettleResult(ids[2], SettleStatus.Ok),
                new SettleResult(ids[3], SettleStatus.Stale), new SettleResult("ghost-2", SettleStatus.Unknown),
            ],
            results);
        Assert.Equal(JobState.Completed, (await GetAsync(ids[0])).State);
        Assert.Equal(JobState.Active, (await GetAsync(ids[1])).State);
        Assert.Equal(JobState.Retrying, (await GetAsync(ids[2])).State);
        Assert.Equal(JobState.Active, (await GetAsync(ids[3])).State);
    }

    [Fact]
    public async Task Ack_PastExpiresAtBeforeMaintenance_StillCompletes()
    {
        var id = await EnqueueAsync();
        var token = TokenOf(await FetchExpectedAsync(id));
        Time.Advance(TimeSpan.FromSeconds(LeaseSeconds * 2));

        Assert.Equal(SettleStatus.Ok, await AckAsync(id, token));

        Assert.Equal(JobState.Completed, (await GetAsync(id)).State);
        Assert.Equal(0, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));
    }

    [Fact]
    public async Task Fail_RetryInWithAttemptsExhausted_Dead()
    {
        var id = await EnqueueAsync(Spec() with { MaxAttempts = 1 });

        Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(await FetchExpectedAsync(id)), TimeSpan.FromSeconds(5)));

        Assert.Equal(JobState.Dead, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task Fail_RetryFalseWithAttemptsLeft_DeadAtOnceAfterReopen()
    {
        var id = await EnqueueAsync(Spec() with { MaxAttempts = 5 });
        var token = TokenOf(await FetchExpectedAsync(id));
        var fail = new JobFail(id, token, "Permanent", "bad input", [], TimeSpan.FromSeconds(5), Retry: false);

        Assert.Equal(SettleStatus.Ok, Assert.Single(await Store.SettleAsync(new JobSettle([], [fail]), Ct)).Status);
        await ReopenAsync();

        var job = await GetAsync(id);
        Assert.Equal(JobState.Dead, job.State);
        Assert.Equal(1, job.Attempt);
        Assert.Equal(Now, job.FinishedAt);
        Assert.Equal("bad input", Assert.Single(job.Failures).Message);
        Assert.Null(await FetchOneAsync());
    }

    [Fact]
    public async Task Fail_RetryFalseWithDeadOff_Removed()
    {
        var id = await EnqueueAsync(Spec() with { MaxAttempts = 5, Dead = false });
        var fail = new JobFail(id, TokenOf(await FetchExpectedAsync(id)), "Permanent", "bad input", [], Retry: false);

        Assert.Equal(SettleStatus.Ok, Assert.Single(await Store.SettleAsync(new JobSettle([], [fail]), Ct)).Status);

        Assert.Null(await FindAsync(id));
    }

    [Fact]
    public async Task Ack_RetriedDeadJob_CompletesAndCountsProcessed()
    {
        var id = await EnqueueAsync(Spec() with { MaxAttempts = 1 });
        Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(await FetchExpectedAsync(id))));
        Assert.Equal(CommandStatus.Ok, (await Store.RetryAsync(new JobRetry(id), Ct)).Status);

        Assert.Equal(SettleStatus.Ok, await AckAsync(id, TokenOf(await FetchExpectedAsync(id))));

        var job = await GetAsync(id);
        Assert.Equal(JobState.Completed, job.State);
        Assert.Single(job.Failures);
        var stats = await Store.GetStatsAsync(Ct);
        Assert.Equal((1, 1), (stats.Processed, stats.Failed));
    }
}
