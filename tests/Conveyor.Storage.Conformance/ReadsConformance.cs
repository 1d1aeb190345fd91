using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>Reads: one job, and pages of jobs newest first with filters and cursors.</summary>
public abstract class ReadsConformance : StoreConformanceBase
{
    [Fact]
    public async Task GetJob_Unknown_Null()
    {
        Assert.Null(await FindAsync("no-such-job"));
    }

    [Fact]
    public async Task ListJobs_NoFilter_NewestFirst()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await EnqueueAsync());
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        var page = await Store.ListJobsAsync(new JobList(), Ct);

        Assert.Equal([ids[2], ids[1], ids[0]], page.Jobs.Select(j => j.Id));
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task ListJobs_StateFilter_OnlyThatState()
    {
        var (active, _) = await PutInStateAsync(JobState.Active);
        await PutInStateAsync(JobState.Available);
        await PutInStateAsync(JobState.Completed);

        var page = await Store.ListJobsAsync(new JobList(State: JobState.Active), Ct);

        Assert.Equal(active, Assert.Single(page.Jobs).Id);
    }

    [Fact]
    public async Task ListJobs_QueueFilter_OnlyThatQueue()
    {
        var mine = await EnqueueAsync("mine");
        await EnqueueAsync("theirs");

        var page = await Store.ListJobsAsync(new JobList(Queue: "mine"), Ct);

        Assert.Equal(mine, Assert.Single(page.Jobs).Id);
    }

    [Fact]
    public async Task ListJobs_TypeFilter_OnlyThatType()
    {
        var report = await EnqueueAsync(Spec("report.build"));
        await EnqueueAsync(Spec("email.send"));

        var page = await Store.ListJobsAsync(new JobList(Type: "report.build"), Ct);

        Assert.Equal(report, Assert.Single(page.Jobs).Id);
    }

    [Fact]
    public async Task ListJobs_CombinedFilters_AllMustMatch()
    {
        var match = await EnqueueAsync(Spec("report.build", "mine"));
        await EnqueueAsync(Spec("report.build", "theirs"));
        await EnqueueAsync(Spec("email.send", "mine"));
        await EnqueueAsync(Spec("report.build", "mine") with { RunAt = Now.AddHours(1) });

        var page = await Store.ListJobsAsync(new JobList(JobState.Available, "mine", "report.build"), Ct);

        Assert.Equal(match, Assert.Single(page.Jobs).Id);
    }

    [Fact]
    public async Task ListJobs_Limit_ReturnsAtMostLimitWithCursor()
    {
        for (var i = 0; i < 5; i++)
        {
            await EnqueueAsync();
        }

        var page = await Store.ListJobsAsync(new JobList(Limit: 2), Ct);

        Assert.Equal(2, page.Jobs.Count);
        Assert.NotNull(page.NextCursor);
    }

    [Fact]
    public async Task ListJobs_CursorPaging_CoversEveryJobOnceNewestFirst()
    {
        var ids = new List<string>();
        for (var i = 0; i < 23; i++)
        {
            ids.Add(await EnqueueAsync(Spec() with { Id = $"job-{i:D2}" }));
            if (i % 3 == 0)
            {
                Time.Advance(TimeSpan.FromMilliseconds(5));
            }
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Store.ListJobsAsync(new JobList(Limit: 5, Cursor: cursor), Ct);
            Assert.True(page.Jobs.Count <= 5);
            seen.AddRange(page.Jobs.Select(j => j.Id));
            cursor = page.NextCursor;
            Assert.True(++pages <= 10, "paging did not end");
        }
        while (cursor is not null);

        Assert.Equal(ids.Count, seen.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        var createdAt = new List<DateTimeOffset>();
        foreach (var id in seen)
        {
            createdAt.Add((await GetAsync(id)).CreatedAt);
        }

        Assert.Equal(createdAt.OrderDescending(), createdAt);
    }

    [Fact]
    public async Task ListJobs_CursorWithFilter_PagesTheFilteredSet()
    {
        for (var i = 0; i < 12; i++)
        {
            await EnqueueAsync(i % 2 == 0 ? "even" : "odd");
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await Store.ListJobsAsync(new JobList(Queue: "even", Limit: 4), Ct);
        var second = await Store.ListJobsAsync(new JobList(Queue: "even", Limit: 4, Cursor: first.NextCursor), Ct);

        Assert.Equal(4, first.Jobs.Count);
        Assert.Equal(2, second.Jobs.Count);
        Assert.All(first.Jobs.Concat(second.Jobs), j => Assert.Equal("even", j.Queue));
        Assert.Null(second.NextCursor);
    }
}
