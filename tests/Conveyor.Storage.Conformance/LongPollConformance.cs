using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>
/// Long-poll fetches (<see cref="JobFetch.Wait"/>): the store holds a fetch that found nothing, leases the
/// first jobs that arrive to it (waiters in the order they came), and ends the wait empty on time, on
/// cancellation, or when it closes; an abandoned wait never takes a job.
/// </summary>
public abstract class LongPollConformance : StoreConformanceBase
{
    /// <summary>Real time, only so that a broken long-poll fails the test instead of hanging it.</summary>
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task WaitingFetch_JobEnqueued_LeasesIt()
    {
        var fetch = WaitForJobs();
        Assert.False(fetch.IsCompleted);

        var id = await EnqueueAsync();

        var job = Assert.Single(await Answer(fetch));
        Assert.Equal(id, job.Id);
        Assert.Equal(JobState.Active, job.State);
        Assert.Equal(TokenOf(job), TokenOf(await GetAsync(id)));
    }

    [Fact]
    public async Task WaitingFetch_JobInAnotherQueue_KeepsWaiting()
    {
        var fetch = WaitForJobs();

        var other = await EnqueueAsync("elsewhere");
        var mine = await EnqueueAsync();

        Assert.Equal(mine, Assert.Single(await Answer(fetch)).Id);
        Assert.Equal(JobState.Available, (await GetAsync(other)).State);
    }

    [Fact]
    public async Task WaitingFetches_ServedInTheOrderTheyCame()
    {
        var first = WaitForJobs();
        var second = WaitForJobs();

        var a = await EnqueueAsync();
        Assert.Equal(a, Assert.Single(await Answer(first)).Id);
        Assert.False(second.IsCompleted);

        var b = await EnqueueAsync();
        Assert.Equal(b, Assert.Single(await Answer(second)).Id);
    }

    [Fact]
    public async Task WaitingFetches_OneBatchArrives_EachTakesUpToItsMax()
    {
        var first = WaitForJobs(max: 2);
        var second = WaitForJobs(max: 2);

        var result = await Store.EnqueueAsync(new JobEnqueue([Spec(), Spec(), Spec()]), Ct);
        var ids = result.Jobs.Select(j => j.Id).ToArray();

        Assert.Equal(ids[..2], (await Answer(first)).Select(j => j.Id));
        Assert.Equal(ids[2..], (await Answer(second)).Select(j => j.Id));
    }

    [Fact]
    public async Task WaitingFetch_NothingComes_AnswersEmptyOnceTheWaitPassed()
    {
        var fetch = WaitForJobs();

        Time.Advance(Wait - TimeSpan.FromSeconds(1));
        Assert.False(fetch.IsCompleted);
        Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Empty(await Answer(fetch));
        var id = await EnqueueAsync();
        Assert.Equal(id, (await FetchExpectedAsync(id)).Id);
    }

    [Fact]
    public async Task WaitingFetch_Cancelled_ThrowsAndNeverTakesALaterJob()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var fetch = WaitForJobs(cancellationToken: cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch.WaitAsync(SafetyTimeout, Ct));
        var id = await EnqueueAsync();
        Assert.Equal(JobState.Available, (await GetAsync(id)).State);
        Assert.Equal(id, (await FetchExpectedAsync(id)).Id);
    }

    [Fact]
    public async Task WaitingFetch_PausedQueueResumed_LeasesItsJob()
    {
        await Store.QueuePauseAsync(new QueuePause(Queue), Ct);
        var id = await EnqueueAsync();
        var fetch = WaitForJobs();
        Assert.False(fetch.IsCompleted);

        await Store.QueueResumeAsync(new QueueResume(Queue), Ct);

        Assert.Equal(id, Assert.Single(await Answer(fetch)).Id);
    }

    [Fact]
    public async Task WaitingFetch_DueJobPromoted_LeasesIt()
    {
        var id = await EnqueueAsync(Spec() with { RunAt = Now.AddSeconds(5) });
        var fetch = WaitForJobs();
        Time.Advance(TimeSpan.FromSeconds(5));

        // A store may promote on its own once the time comes (the embedded one does for waiting fetches);
        // either way the promotion reaches the waiting fetch.
        await Store.PromoteAsync(new JobsPromote(), Ct);

        Assert.Equal(id, Assert.Single(await Answer(fetch)).Id);
    }

    [Fact]
    public async Task WaitingFetch_DeadJobRetried_LeasesIt()
    {
        var (id, _) = await PutInStateAsync(JobState.Dead);
        var fetch = WaitForJobs();
        Assert.False(fetch.IsCompleted);

        Assert.Equal(CommandStatus.Ok, (await Store.RetryAsync(new JobRetry(id), Ct)).Status);

        Assert.Equal(id, Assert.Single(await Answer(fetch)).Id);
    }

    [Fact]
    public async Task WaitingFetch_JobsRequeued_LeasesThem()
    {
        var (dead, _) = await PutInStateAsync(JobState.Dead);
        var fetch = WaitForJobs();
        Assert.False(fetch.IsCompleted);

        Assert.Equal(1, await Store.RequeueAsync(new JobsRequeue([dead]), Ct));

        Assert.Equal(dead, Assert.Single(await Answer(fetch)).Id);
    }

    [Fact]
    public async Task WaitingFetch_LeaseGranted_SurvivesReopen()
    {
        var fetch = WaitForJobs();
        var id = await EnqueueAsync();
        var token = TokenOf(Assert.Single(await Answer(fetch)));

        await ReopenAsync();

        var job = await GetAsync(id);
        Assert.Equal(JobState.Active, job.State);
        Assert.Equal(token, TokenOf(job));
    }

    [Fact]
    public async Task WaitingFetch_StoreClosed_AnswersEmpty()
    {
        var fetch = WaitForJobs();

        await Store.DisposeAsync();

        Assert.Empty(await Answer(fetch));
    }

    [Fact]
    public async Task WaitingFetches_CancelledWhileJobsArrive_EveryLeaseReachesItsCaller()
    {
        var random = new Random(Seed);
        var fetches = new List<Task<IReadOnlyList<JobInfo>>>();
        var cancels = new List<CancellationTokenSource>();
        var ids = new List<string>();
        for (var round = 0; round < 200; round++)
        {
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            cancels.Add(cancel);
            fetches.Add(WaitForJobs(max: random.Next(1, 4), cancellationToken: cancel.Token));
            var victim = cancels[random.Next(cancels.Count)];
            var enqueue = random.Next(3) == 0 ? EnqueueAsync().AsTask() : null;
            await victim.CancelAsync();
            if (enqueue is not null)
            {
                ids.Add(await enqueue);
            }
        }

        foreach (var cancel in cancels)
        {
            await cancel.CancelAsync();
        }

        var answered = new HashSet<string>();
        foreach (var fetch in fetches)
        {
            try
            {
                foreach (var job in await Answer(fetch))
                {
                    Assert.True(answered.Add(job.Id), $"job {job.Id} was answered to two fetches");
                }
            }
            catch (OperationCanceledException)
            {
                // Gave up before a job came: it took none.
            }
        }

        foreach (var id in ids)
        {
            var state = (await GetAsync(id)).State;
            Assert.Equal(answered.Contains(id) ? JobState.Active : JobState.Available, state);
        }

        Assert.Subset(ids.ToHashSet(), answered);
        foreach (var cancel in cancels)
        {
            cancel.Dispose();
        }
    }

    private Task<IReadOnlyList<JobInfo>> WaitForJobs(int max = 1, CancellationToken? cancellationToken = null) =>
        Store.FetchAsync(new JobFetch([Queue], max, "waiter", Wait), cancellationToken ?? Ct).AsTask();

    private static Task<IReadOnlyList<JobInfo>> Answer(Task<IReadOnlyList<JobInfo>> fetch) => fetch.WaitAsync(SafetyTimeout, Ct);
}
