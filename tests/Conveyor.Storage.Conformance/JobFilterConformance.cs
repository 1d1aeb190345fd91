using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>
/// The job list's filters beyond state, queue and type (tag, id prefix, creation time range) and the state filter
/// over many jobs: what the dashboard's jobs page and its bulk actions page through.
/// </summary>
public abstract class JobFilterConformance : StoreConformanceBase
{
    [Fact]
    public async Task ListJobs_TagFilter_OnlyJobsCarryingTheTag()
    {
        var tagged = await EnqueueAsync(Spec() with { Tags = ["billing", "eu"] });
        await EnqueueAsync(Spec() with { Tags = ["bill"] });
        await EnqueueAsync(Spec());

        var page = await Store.ListJobsAsync(new JobList { Tag = "billing" }, Ct);

        Assert.Equal(tagged, Assert.Single(page.Jobs).Id);
    }

    [Fact]
    public async Task ListJobs_IdPrefixFilter_OnlyIdsStartingWithIt()
    {
        await EnqueueAsync(Spec() with { Id = "order-1" });
        await EnqueueAsync(Spec() with { Id = "order-2" });
        await EnqueueAsync(Spec() with { Id = "invoice-1" });
        var generated = await EnqueueAsync(Spec());

        var orders = await Store.ListJobsAsync(new JobList { IdPrefix = "order-" }, Ct);
        var byGenerated = await Store.ListJobsAsync(new JobList { IdPrefix = generated[..20] }, Ct);

        Assert.Equal(["order-2", "order-1"], orders.Jobs.Select(j => j.Id));
        Assert.Equal(generated, Assert.Single(byGenerated.Jobs).Id);
    }

    [Fact]
    public async Task ListJobs_CreatedRange_FromInclusiveToExclusive()
    {
        var ids = new List<string>();
        var start = Now;
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await EnqueueAsync());
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        var page = await Store.ListJobsAsync(new JobList { CreatedFrom = start.AddMinutes(1), CreatedTo = start.AddMinutes(3) }, Ct);

        Assert.Equal([ids[2], ids[1]], page.Jobs.Select(j => j.Id));
    }

    [Fact]
    public async Task ListJobs_AllFilters_MustAllMatch()
    {
        var match = await EnqueueAsync(Spec("report.build", "mine") with { Id = "r-1", Tags = ["t"] });
        await EnqueueAsync(Spec("report.build", "mine") with { Id = "r-2" });
        await EnqueueAsync(Spec("report.build", "mine") with { Id = "x-1", Tags = ["t"] });
        await EnqueueAsync(Spec("report.build", "theirs") with { Id = "r-3", Tags = ["t"] });

        var page = await Store.ListJobsAsync(
            new JobList(JobState.Available, "mine", "report.build") { Tag = "t", IdPrefix = "r-", CreatedFrom = Now.AddMinutes(-1), CreatedTo = Now.AddMinutes(1) }, Ct);

        Assert.Equal(match, Assert.Single(page.Jobs).Id);
    }

    [Fact]
    public async Task ListJobs_SparseStateAmongMany_PagesFindEveryMatchOnceNewestFirst()
    {
        var dead = new List<string>();
        for (var i = 0; i < 2000; i++)
        {
            var doomed = i % 397 == 0;
            var id = await EnqueueAsync(Spec(queue: doomed ? "doomed" : Queue) with { Id = $"job-{i:D4}", MaxAttempts = 1 });
            if (doomed)
            {
                dead.Add(id);
            }
        }

        foreach (var id in dead)
        {
            var job = await FetchExpectedAsync(id, "doomed");
            Assert.Equal(SettleStatus.Ok, await FailAsync(id, TokenOf(job)));
        }

        var seen = await ListAllAsync(new JobList(JobState.Dead, Limit: 2));

        Assert.Equal(dead.AsEnumerable().Reverse(), seen);
    }

    [Fact]
    public async Task ListJobs_StateFilter_FollowsJobsThatMove()
    {
        var (id, token) = await PutInStateAsync(JobState.Active);
        Assert.Equal(SettleStatus.Ok, await FailAsync(id, token!, TimeSpan.FromHours(1)));

        var retrying = await Store.ListJobsAsync(new JobList(JobState.Retrying), Ct);
        Assert.Equal((await Store.RetryAsync(new JobRetry(id), Ct)).Status, CommandStatus.Ok);
        var afterRetry = await Store.ListJobsAsync(new JobList(JobState.Retrying), Ct);
        var available = await Store.ListJobsAsync(new JobList(JobState.Available), Ct);

        Assert.Equal(id, Assert.Single(retrying.Jobs).Id);
        Assert.Empty(afterRetry.Jobs);
        Assert.Equal(id, Assert.Single(available.Jobs).Id);
    }

    [Fact]
    public async Task ListJobs_StateFilterAfterManyRemovals_StillExact()
    {
        var specs = Enumerable.Range(0, 3000).Select(i => Spec() with { Id = $"bulk-{i:D4}", RunAt = i % 2 == 0 ? Now.AddHours(1) : null }).ToList();
        await Store.EnqueueAsync(new JobEnqueue(specs), Ct);
        var removed = await Store.DiscardAsync(new JobsDiscard([.. specs.Where((_, i) => i % 3 != 0).Select(s => s.Id!)]), Ct);
        Assert.Equal(2000, removed);

        var scheduled = await ListAllAsync(new JobList(JobState.Scheduled, Limit: 1000));
        var expected = specs.Select(s => s.Id!).Where((_, i) => i % 3 == 0 && i % 2 == 0).Reverse();

        Assert.Equal(expected, scheduled);
    }

    private async Task<List<string>> ListAllAsync(JobList request)
    {
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Store.ListJobsAsync(request with { Cursor = cursor }, Ct);
            seen.AddRange(page.Jobs.Select(j => j.Id));
            cursor = page.NextCursor;
            Assert.True(++pages <= 10_000, "paging did not end");
        }
        while (cursor is not null);

        return seen;
    }
}
