using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Store;

/// <summary>A flush is one record that replay applies as the live store did, whether the log is closed cleanly or cut short.</summary>
public sealed class StoreFlushTests
{
    [Fact]
    public async Task Flush_ThenCrash_ReplaysToOnlyTheJobsAfterIt()
    {
        await using var h = new StoreHarness();
        await h.EnqueueAsync(StoreHarness.Job("before"));
        var leased = Assert.Single(await h.Store.FetchAsync(new JobFetch(["q"], 1, "w")));
        await h.EnqueueAsync(StoreHarness.Job("waiting"));
        var flushesBefore = (await h.Store.GetStatsAsync()).Storage!.Flushes;

        Assert.Equal(2, await h.Store.FlushAsync(new JobsFlush()));
        Assert.Equal(flushesBefore + 1, (await h.Store.GetStatsAsync()).Storage!.Flushes);
        await h.EnqueueAsync(StoreHarness.Job("after"));
        var live = await StoreHarness.DumpAsync(h.Store);

        await h.CrashAndReopenAsync();

        Assert.Equal(live, await StoreHarness.DumpAsync(h.Store));
        Assert.Null(await h.Store.GetJobAsync(new JobGet("before")));
        var next = Assert.Single(await h.Store.FetchAsync(new JobFetch(["q"], 1, "w")));
        Assert.Equal("after", next.Id);
        Assert.NotEqual(leased.Lease!.Token, next.Lease!.Token);
        Assert.Equal(SettleStatus.Unknown, (await h.Store.SettleAsync(new JobSettle([new JobAck("before", leased.Lease.Token)], [])))[0].Status);
        Assert.Equal(JobState.Active, (await h.Store.GetJobAsync(new JobGet("after")))?.State);
    }
}
