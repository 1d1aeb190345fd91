using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>Fetch: ordering across queues and priorities, limits, leases, and promotion of due jobs.</summary>
public abstract class FetchConformance : StoreConformanceBase
{
    [Fact]
    public async Task Fetch_SeveralQueues_TakesInQueueOrderGiven()
    {
        var low = await EnqueueAsync(Spec(queue: "second") with { Priority = 9 });
        var high = await EnqueueAsync(Spec(queue: "first") with { Priority = 1 });

        var one = await Store.FetchAsync(new JobFetch(["first", "second"], 1, null), Ct);
        var two = await Store.FetchAsync(new JobFetch(["first", "second"], 1, null), Ct);

        Assert.Equal(high, Assert.Single(one).Id);
        Assert.Equal(low, Assert.Single(two).Id);
    }

    [Fact]
    public async Task Fetch_MixedPriorities_HigherFirstThenFirstCome()
    {
        var a = await EnqueueAsync(Spec() with { Priority = 5 });
        var b = await EnqueueAsync(Spec() with { Priority = 9 });
        var c = await EnqueueAsync(Spec() with { Priority = 5 });
        var d = await EnqueueAsync(Spec() with { Priority = 9 });
        var e = await EnqueueAsync(Spec() with { Priority = 1 });

        var order = new List<string>();
        while (await FetchOneAsync() is { } job)
        {
            order.Add(job.Id);
        }

        Assert.Equal([b, d, a, c, e], order);
    }

    [Fact]
    public async Task Fetch_PromotedJob_JoinsBackOfItsPriority()
    {
        var scheduled = await EnqueueAsync(Spec() with { RunAt = Now.AddSeconds(10) });
        var first = await EnqueueAsync(Spec());
        Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await Store.PromoteAsync(new JobsPromote(), Ct));
        var last = await EnqueueAsync(Spec());

        var order = new List<string>();
        while (await FetchOneAsync() is { } job)
        {
            order.Add(job.Id);
        }

        Assert.Equal([first, scheduled, last], order);
    }

    [Fact]
    public async Task Fetch_Max_LeasesAtMostMax()
    {
        for (var i = 0; i < 5; i++)
        {
            await EnqueueAsync();
        }

        var first = await Store.FetchAsync(new JobFetch([Queue], 3, null), Ct);
        var second = await Store.FetchAsync(new JobFetch([Queue], 3, null), Ct);
        var third = await Store.FetchAsync(new JobFetch([Queue], 3, null), Ct);

        Assert.Equal(3, first.Count);
        Assert.Equal(2, second.Count);
        Assert.Empty(third);
        Assert.Equal(5, first.Concat(second).Select(j => j.Id).Distinct().Count());
    }

    [Fact]
    public async Task Fetch_PausedQueue_IsSkipped()
    {
        await EnqueueAsync("paused");
        var other = await EnqueueAsync("open");
        await Store.QueuePauseAsync(new QueuePause("paused"), Ct);

        var jobs = await Store.FetchAsync(new JobFetch(["paused", "open"], 10, null), Ct);

        Assert.Equal(other, Assert.Single(jobs).Id);
    }

    [Fact]
    public async Task Fetch_UnknownQueue_ReturnsEmpty()
    {
        await EnqueueAsync();

        var jobs = await Store.FetchAsync(new JobFetch(["never-used"], 10, null), Ct);

        Assert.Empty(jobs);
    }

    [Fact]
    public async Task Fetch_Nothing_ReturnsEmpty()
    {
        Assert.Empty(await Store.FetchAsync(new JobFetch([Queue], 10, null), Ct));
    }

    [Fact]
    public async Task Fetch_Leases_MakeJobActiveWithAttemptAndExpiry()
    {
        var id = await EnqueueAsync(Spec() with { LeaseSeconds = 90 });
        Time.Advance(TimeSpan.FromSeconds(3));

        var fetched = Assert.Single(await Store.FetchAsync(new JobFetch([Queue], 1, "worker-9"), Ct));
        var job = await GetAsync(id);

        Assert.Equal(JobState.Active, fetched.State);
        Assert.Equal(1, fetched.Attempt);
        Assert.NotNull(fetched.Lease);
        Assert.Equal(Now.AddSeconds(90), fetched.Lease.ExpiresAt);
        Assert.Equal("worker-9", fetched.Lease.WorkerId);
        Assert.Equal(JobState.Active, job.State);
        Assert.Equal(1, job.Attempt);
        Assert.Equal(fetched.Lease, job.Lease);
    }

    [Fact]
    public async Task Fetch_EachFetch_GetsANewToken()
    {
        var tokens = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            await EnqueueAsync();
        }

        tokens.AddRange((await Store.FetchAsync(new JobFetch([Queue], 20, null), Ct)).Select(TokenOf));

        var again = await EnqueueAsync(Spec() with { MaxAttempts = 5 });
        var first = await FetchExpectedAsync(again);
        Assert.Equal(SettleStatus.Ok, await FailAsync(again, TokenOf(first), TimeSpan.Zero));
        var second = await FetchExpectedAsync(again);
        tokens.Add(TokenOf(first));
        tokens.Add(TokenOf(second));

        Assert.Equal(tokens.Count, tokens.Distinct().Count());
        Assert.Equal(2, second.Attempt);
    }

    [Fact]
    public async Task Fetch_DueScheduledJob_PromotedByFetchItself()
    {
        var id = await EnqueueAsync(Spec() with { RunAt = Now.AddSeconds(30) });
        Assert.Null(await FetchOneAsync());
        Time.Advance(TimeSpan.FromSeconds(30));

        var job = await FetchOneAsync();

        Assert.Equal(id, job?.Id);
    }

    [Fact]
    public async Task Fetch_DueRetryingJob_PromotedByFetchItself()
    {
        var id = await EnqueueAsync();
        Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(await FetchExpectedAsync(id)), TimeSpan.FromSeconds(20)));
        Assert.Null(await FetchOneAsync());
        Time.Advance(TimeSpan.FromSeconds(20));

        var job = await FetchOneAsync();

        Assert.Equal(id, job?.Id);
        Assert.Equal(2, job?.Attempt);
    }

    [Fact]
    public async Task Fetch_ActiveJob_IsNotFetchedAgain()
    {
        var id = await EnqueueAsync();
        await FetchExpectedAsync(id);

        Assert.Null(await FetchOneAsync());
    }

    [Fact]
    public async Task Fetch_MaxAcrossQueues_FillsFromFirstQueueThenNext()
    {
        var a1 = await EnqueueAsync("first");
        var a2 = await EnqueueAsync("first");
        var b1 = await EnqueueAsync("second");
        await EnqueueAsync("second");

        var jobs = await Store.FetchAsync(new JobFetch(["first", "second"], 3, null), Ct);

        Assert.Equal(new[] { a1, a2, b1 }.Order(StringComparer.Ordinal), jobs.Select(j => j.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Fetch_RetriedJob_JoinsBackOfItsPriority()
    {
        var retried = await EnqueueAsync(Spec() with { MaxAttempts = 1 });
        Assert.Equal(SettleStatus.Ok, await FailAsync(retried, TokenOf(await FetchExpectedAsync(retried))));
        var before = await EnqueueAsync();
        Assert.Equal(CommandStatus.Ok, (await Store.RetryAsync(new JobRetry(retried), Ct)).Status);
        var after = await EnqueueAsync();

        var order = new List<string>();
        while (await FetchOneAsync() is { } job)
        {
            order.Add(job.Id);
        }

        Assert.Equal([before, retried, after], order);
    }
}
