using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.State;
using Xunit;
using static Conveyor.Storage.Embedded.Tests.State.TableJobs;

namespace Conveyor.Storage.Embedded.Tests.State;

/// <summary>Listing runs on the writer loop, so one call looks at a bounded number of jobs; the cursors still reach every match.</summary>
public sealed class JobTableListTests
{
    [Fact]
    public void List_FilterThatMatchesLittle_StopsAtTheScanBudgetWithACursorThatGoesOn()
    {
        var table = new JobTable { ListScanBudget = 10 };
        table.Apply(new JobsEnqueued(At, [.. Enumerable.Range(0, 95).Select(i => Job($"j{i}", i % 30 == 0 ? "rare" : "q"))]));

        // Newest first: j94 … j85 are looked at, j90 matches; the page ends there, short, with a cursor.
        var first = JobViews.List(table, new JobList(Queue: "rare", Limit: 2));
        Assert.Equal(["j90"], first.Jobs.Select(j => j.Id));
        Assert.NotNull(first.NextCursor);

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = JobViews.List(table, new JobList(Queue: "rare", Limit: 2, Cursor: cursor));
            Assert.True(page.Jobs.Count <= 2);
            seen.AddRange(page.Jobs.Select(j => j.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 100);

        Assert.Equal(["j90", "j60", "j30", "j0"], seen);
        Assert.InRange(pages, 10, 11); // 95 jobs, 10 looked at per call
    }

    [Fact]
    public void List_WithinTheBudget_FullPagesAndNoCursorAtTheEnd()
    {
        var table = new JobTable();
        table.Apply(new JobsEnqueued(At, [.. Enumerable.Range(0, 5).Select(i => Job($"j{i}"))]));

        var page = JobViews.List(table, new JobList(Queue: "q", Limit: 10));

        Assert.Equal(["j4", "j3", "j2", "j1", "j0"], page.Jobs.Select(j => j.Id));
        Assert.Null(page.NextCursor);
    }
}
