using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>
/// Progress, results and waiting for a job to finish: progress is fenced by the lease and durable, kept on the finished job
/// and cleared by a new attempt; an ack's result is kept with the completed job; a wait answers when the job completes, dies,
/// is cancelled or goes, or when its timeout passes, and wakes every waiter of a job.
/// </summary>
public abstract class ProgressResultConformance : StoreConformanceBase
{
    /// <summary>Real time, only so that a broken wait fails the test instead of hanging it.</summary>
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static readonly byte[] Result = """{"rows":3,"ok":true}"""u8.ToArray();

    [Fact]
    public async Task ReportProgress_CurrentLease_ShownOnTheJob()
    {
        var (id, token) = await PutInStateAsync(JobState.Active);
        Time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(SettleStatus.Ok, await ReportAsync(id, token!, 40, "4 of 10"));

        Assert.Equal(new JobProgress(40, "4 of 10", Now), (await GetAsync(id)).Progress);
    }

    [Fact]
    public async Task ReportProgress_Again_ReplacesThePrevious()
    {
        var (id, token) = await PutInStateAsync(JobState.Active);
        await ReportAsync(id, token!, 10, "starting");

        Assert.Equal(SettleStatus.Ok, await ReportAsync(id, token!, 70, null));

        Assert.Equal(new JobProgress(70, null, Now), (await GetAsync(id)).Progress);
    }

    [Fact]
    public async Task ReportProgress_StaleToken_RefusedAndNothingChanges()
    {
        var (id, token) = await PutInStateAsync(JobState.Active);
        Time.Advance(TimeSpan.FromSeconds(LeaseSeconds + 1));
        Assert.Equal(1, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));
        Time.Advance(TimeSpan.FromHours(1)); // past the back-off
        var second = TokenOf(await FetchExpectedAsync(id));

        Assert.Equal(SettleStatus.Stale, await ReportAsync(id, token!, 50, "late"));
        Assert.Equal(SettleStatus.Stale, await ReportAsync(id, "no-such-token", 50, "forged"));

        Assert.Null((await GetAsync(id)).Progress);
        Assert.Equal(SettleStatus.Ok, await ReportAsync(id, second, 5, null));
    }

    [Fact]
    public async Task ReportProgress_UnknownJob_Unknown()
    {
        Assert.Equal(SettleStatus.Unknown, await ReportAsync("no-such-job", "1", 50, null));
    }

    [Fact]
    public async Task ReportProgress_FinishedJob_StaleAndItsProgressKept()
    {
        var (id, token) = await PutInStateAsync(JobState.Active);
        await ReportAsync(id, token!, 99, "almost");
        Assert.Equal(SettleStatus.Ok, await AckAsync(id, token!));

        Assert.Equal(SettleStatus.Stale, await ReportAsync(id, token!, 100, "after the ack"));

        var job = await GetAsync(id);
        Assert.Equal(JobState.Completed, job.State);
        Assert.Equal(99, job.Progress?.Percent);
        Assert.Equal("almost", job.Progress?.Message);
    }

    [Fact]
    public async Task ReportProgress_NewAttempt_StartsWithout()
    {
        var (id, token) = await PutInStateAsync(JobState.Active);
        await ReportAsync(id, token!, 60, "first attempt");
        Assert.Equal(SettleStatus.Ok, await FailAsync(id, token!, TimeSpan.Zero));
        Assert.Equal(60, (await GetAsync(id)).Progress?.Percent); // the failed attempt's, while it waits to retry

        await FetchExpectedAsync(id);

        Assert.Null((await GetAsync(id)).Progress);
    }

    [Fact]
    public async Task ReportProgress_SurvivesReopen()
    {
        var (id, token) = await PutInStateAsync(JobState.Active);
        await ReportAsync(id, token!, 25, "a quarter");
        var reported = Now;

        await ReopenAsync();

        Assert.Equal(new JobProgress(25, "a quarter", reported), (await GetAsync(id)).Progress);
        Assert.Equal(SettleStatus.Ok, await ReportAsync(id, token!, 30, null));
    }

    [Fact]
    public async Task Ack_WithResult_KeptWithTheCompletedJobAcrossReopen()
    {
        var (id, token) = await PutInStateAsync(JobState.Active);
        var (plain, plainToken) = await PutInStateAsync(JobState.Active);

        var results = await Store.SettleAsync(new JobSettle([new JobAck(id, token!) { Result = Result }, new JobAck(plain, plainToken!)], []), Ct);
        Assert.All(results, r => Assert.Equal(SettleStatus.Ok, r.Status));
        Assert.Equal(Result, (await GetAsync(id)).Result?.ToArray());
        Assert.Null((await GetAsync(plain)).Result);

        await ReopenAsync();

        var job = await GetAsync(id);
        Assert.Equal(JobState.Completed, job.State);
        Assert.Equal(Result, job.Result?.ToArray());
        Assert.Null((await GetAsync(plain)).Result);
    }

    [Fact]
    public async Task Ack_StaleWithResult_NothingKept()
    {
        var (id, token) = await PutInStateAsync(JobState.Active);
        Assert.Equal(CommandStatus.Ok, (await Store.CancelAsync(new JobCancel(id), Ct)).Status);

        var results = await Store.SettleAsync(new JobSettle([new JobAck(id, token!) { Result = Result }], []), Ct);

        Assert.Equal(SettleStatus.Stale, Assert.Single(results).Status);
        Assert.Null((await GetAsync(id)).Result);
    }

    [Theory]
    [InlineData(JobState.Completed)]
    [InlineData(JobState.Dead)]
    [InlineData(JobState.Cancelled)]
    public async Task Wait_AlreadyFinished_AnswersAtOnce(JobState state)
    {
        var (id, _) = await PutInStateAsync(state);

        var job = await WaitAsync(id);

        Assert.Equal(state, job?.State);
    }

    [Fact]
    public async Task Wait_UnknownJob_AnswersNull()
    {
        Assert.Null(await WaitAsync("no-such-job"));
    }

    [Fact]
    public async Task Wait_JobCompletes_AnswersItWithItsResult()
    {
        var (id, token) = await PutInStateAsync(JobState.Active);
        var wait = WaitForFinish(id);
        Assert.False(wait.IsCompleted);

        await Store.SettleAsync(new JobSettle([new JobAck(id, token!) { Result = Result }], []), Ct);

        var job = await Answer(wait);
        Assert.Equal(JobState.Completed, job?.State);
        Assert.Equal(Result, job?.Result?.ToArray());
    }

    [Fact]
    public async Task Wait_JobRetries_KeepsWaitingUntilItDies()
    {
        var id = await EnqueueAsync(Spec() with { MaxAttempts = 2 });
        var wait = WaitForFinish(id);
        Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(await FetchExpectedAsync(id)), TimeSpan.Zero));
        Assert.False(wait.IsCompleted);

        Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(await FetchExpectedAsync(id))));

        Assert.Equal(JobState.Dead, (await Answer(wait))?.State);
    }

    [Fact]
    public async Task Wait_JobCancelled_AnswersIt()
    {
        var (id, _) = await PutInStateAsync(JobState.Scheduled);
        var wait = WaitForFinish(id);

        Assert.Equal(CommandStatus.Ok, (await Store.CancelAsync(new JobCancel(id), Ct)).Status);

        Assert.Equal(JobState.Cancelled, (await Answer(wait))?.State);
    }

    [Fact]
    public async Task Wait_JobDiscarded_AnswersNull()
    {
        var (id, _) = await PutInStateAsync(JobState.Available);
        var wait = WaitForFinish(id);

        Assert.Equal(1, await Store.DiscardAsync(new JobsDiscard([id]), Ct));

        Assert.Null(await Answer(wait));
    }

    [Fact]
    public async Task Wait_StoreFlushed_AnswersNull()
    {
        var (id, _) = await PutInStateAsync(JobState.Active);
        var wait = WaitForFinish(id);

        await Store.FlushAsync(new JobsFlush(), Ct);

        Assert.Null(await Answer(wait));
    }

    [Fact]
    public async Task Wait_NothingHappens_AnswersTheUnfinishedJobOnceTheTimeoutPassed()
    {
        var (id, token) = await PutInStateAsync(JobState.Active);
        await ReportAsync(id, token!, 50, "half");
        var wait = WaitForFinish(id);

        Time.Advance(Wait - TimeSpan.FromSeconds(1));
        Assert.False(wait.IsCompleted);
        Time.Advance(TimeSpan.FromSeconds(1));

        var job = await Answer(wait);
        Assert.Equal(JobState.Active, job?.State);
        Assert.Equal(50, job?.Progress?.Percent);
    }

    [Fact]
    public async Task Wait_Cancelled_Throws()
    {
        var (id, _) = await PutInStateAsync(JobState.Active);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var wait = Store.WaitForFinishAsync(new JobWait(id, Wait), cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(SafetyTimeout, Ct));
    }

    [Fact]
    public async Task Wait_ManyWaiters_EveryOneAnsweredAndOthersKeepWaiting()
    {
        var (id, token) = await PutInStateAsync(JobState.Active);
        var (other, _) = await PutInStateAsync(JobState.Active);
        var waits = Enumerable.Range(0, 100).Select(_ => WaitForFinish(id)).ToList();
        var otherWait = WaitForFinish(other);

        Assert.Equal(SettleStatus.Ok, await AckAsync(id, token!));

        foreach (var wait in waits)
        {
            Assert.Equal(JobState.Completed, (await Answer(wait))?.State);
        }

        Assert.False(otherWait.IsCompleted);
    }

    [Fact]
    public async Task Wait_WaitersThatGaveUp_DoNotHoldUpTheOthers()
    {
        var (id, token) = await PutInStateAsync(JobState.Active);
        for (var i = 0; i < 200; i++)
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var abandoned = Store.WaitForFinishAsync(new JobWait(id, Wait), cancel.Token).AsTask();
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.WaitAsync(SafetyTimeout, Ct));
        }

        var wait = WaitForFinish(id);
        Assert.Equal(SettleStatus.Ok, await AckAsync(id, token!));

        Assert.Equal(JobState.Completed, (await Answer(wait))?.State);
    }

    [Fact]
    public async Task Wait_StoreClosed_AnswersTheJobAsItIs()
    {
        var (id, _) = await PutInStateAsync(JobState.Active);
        var wait = WaitForFinish(id);

        await Store.DisposeAsync();

        Assert.Equal(JobState.Active, (await Answer(wait))?.State);
    }

    private async Task<SettleStatus> ReportAsync(string id, string token, int percent, string? message) =>
        await Store.ReportProgressAsync(new JobProgressReport(id, token, percent, message), Ct);

    private async Task<JobInfo?> WaitAsync(string id) =>
        await Store.WaitForFinishAsync(new JobWait(id, Wait), Ct).AsTask().WaitAsync(SafetyTimeout, Ct);

    private Task<JobInfo?> WaitForFinish(string id) => Store.WaitForFinishAsync(new JobWait(id, Wait), Ct).AsTask();

    private static Task<JobInfo?> Answer(Task<JobInfo?> wait) => wait.WaitAsync(SafetyTimeout, Ct);
}
