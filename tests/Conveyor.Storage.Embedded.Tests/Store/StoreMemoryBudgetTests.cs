using System.Text;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.State;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Store;

/// <summary>
/// The memory budget: the store accounts what its jobs hold, refuses enqueues past the budget (nothing written) and
/// keeps serving everything else; the account goes down as jobs leave and is rebuilt the same by recovery.
/// </summary>
public sealed class StoreMemoryBudgetTests
{
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("[\"" + new string('x', 1000) + "\"]");

    /// <summary>What one of <see cref="Big"/>'s jobs takes.</summary>
    private static readonly long BigJob = JobFootprint.Of(Big("sample"));

    /// <summary>Every id the same length, so every job takes the same.</summary>
    private static string Id(string name) => name.PadRight(16, '_');

    private static JobSpec Big(string name, string queue = "q") => new() { Id = Id(name), Queue = queue, Type = "t", Args = Payload };

    private static async Task<StoreHarness> OpenAsync(long budget)
    {
        var h = new StoreHarness();
        h.Options.MemoryBudgetBytes = budget;
        await h.ReopenAsync();
        return h;
    }

    private static async Task<StoreMemory> MemoryAsync(StoreHarness h) => (await h.Store.GetStatsAsync()).Memory!;

    [Fact]
    public async Task Enqueue_PastBudget_StorageFullAndNothingWritten()
    {
        await using var h = await OpenAsync(10 * BigJob);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(EnqueueStatus.Ok, (await h.Store.EnqueueAsync(new JobEnqueue([Big($"j{i}")]))).Status);
        }

        Assert.Equal(10 * BigJob, (await MemoryAsync(h)).HeldBytes);
        var refused = await h.Store.EnqueueAsync(new JobEnqueue([Big("j10")]));

        Assert.Equal(EnqueueStatus.StorageFull, refused.Status);
        Assert.Empty(refused.Jobs);
        Assert.Null(await h.Store.GetJobAsync(new JobGet(Id("j10"))));
        Assert.Equal(10, (await h.Store.GetStatsAsync()).Counts[JobState.Available]);
        Assert.Equal(10 * BigJob, (await MemoryAsync(h)).HeldBytes);
    }

    [Fact]
    public async Task Enqueue_BatchThatWouldCrossTheBudget_RefusedWhole()
    {
        await using var h = await OpenAsync(10 * BigJob);
        await h.Store.EnqueueAsync(new JobEnqueue([.. Enumerable.Range(0, 8).Select(i => Big($"a{i}"))]));

        var refused = await h.Store.EnqueueAsync(new JobEnqueue([Big("b0"), Big("b1"), Big("b2")]));

        Assert.Equal(EnqueueStatus.StorageFull, refused.Status);
        Assert.Null(await h.Store.GetJobAsync(new JobGet(Id("b0"))));
        Assert.Equal(EnqueueStatus.Ok, (await h.Store.EnqueueAsync(new JobEnqueue([Big("b0"), Big("b1")]))).Status);
    }

    [Fact]
    public async Task Full_FetchSettleHeartbeatCancelPurgeAndReads_StillWork()
    {
        // Room for six jobs and the one failure below.
        await using var h = await OpenAsync((6 * BigJob) + 1000);
        await h.Store.EnqueueAsync(new JobEnqueue([.. Enumerable.Range(0, 4).Select(i => Big($"j{i}")), Big("other", "p"), Big("cancel-me")]));
        Assert.Equal(EnqueueStatus.StorageFull, (await h.Store.EnqueueAsync(new JobEnqueue([Big("late")]))).Status);

        var leased = await h.Store.FetchAsync(new JobFetch(["q"], 3, "w"));
        Assert.Equal(3, leased.Count);
        Assert.Equal(SettleStatus.Ok, (await h.Store.HeartbeatAsync(new JobHeartbeat(leased[0].Id, leased[0].Lease!.Token))).Status);
        var settled = await h.Store.SettleAsync(new JobSettle(
            [new JobAck(leased[0].Key, leased[0].Lease!.Token)],
            [new JobFail(leased[1].Key, leased[1].Lease!.Token, "E", "boom", ["at X"])]));
        Assert.All(settled, r => Assert.Equal(SettleStatus.Ok, r.Status));
        Assert.Equal(1, await h.Store.ReleaseAsync(new LeasesRelease([new JobLeaseRef(leased[2].Key, leased[2].Lease!.Token)])));
        Assert.Equal(CommandStatus.Ok, (await h.Store.CancelAsync(new JobCancel(Id("cancel-me")))).Status);
        Assert.Equal(1, await h.Store.QueuePurgeAsync(new QueuePurge("p")));
        Assert.Equal(JobState.Completed, (await h.Store.GetJobAsync(new JobGet(leased[0].Id)))!.State);
        Assert.NotEmpty((await h.Store.ListJobsAsync(new JobList())).Jobs);

        // The purged job's room is free again: one job fits, the next does not.
        Assert.Equal(EnqueueStatus.Ok, (await h.Store.EnqueueAsync(new JobEnqueue([Big("late")]))).Status);
        Assert.Equal(EnqueueStatus.StorageFull, (await h.Store.EnqueueAsync(new JobEnqueue([Big("later")]))).Status);
    }

    [Fact]
    public async Task HeldBytes_JobsLeaveByPurgeDiscardPruneAndFlush_GoesDown()
    {
        await using var h = await OpenAsync(long.MaxValue);
        Assert.Equal(0, (await MemoryAsync(h)).HeldBytes);
        await h.Store.EnqueueAsync(new JobEnqueue([Big("purged", "p"), Big("discarded"), Big("done"), Big("kept")]));
        Assert.Equal(4 * BigJob, (await MemoryAsync(h)).HeldBytes);

        await h.Store.QueuePurgeAsync(new QueuePurge("p"));
        Assert.Equal(3 * BigJob, (await MemoryAsync(h)).HeldBytes);
        await h.Store.DiscardAsync(new JobsDiscard([Id("discarded")]));
        Assert.Equal(2 * BigJob, (await MemoryAsync(h)).HeldBytes);

        // A finished job is still held (for inspection) until retention drops it.
        var done = (await h.Store.FetchAsync(new JobFetch(["q"], 2, "w"))).Single(j => j.Id == Id("done"));
        await h.Store.SettleAsync(new JobSettle([new JobAck(done.Key, done.Lease!.Token)], []));
        Assert.Equal(2 * BigJob, (await MemoryAsync(h)).HeldBytes);
        h.Time.Advance(RetentionPolicy.Default.Completed + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await h.Store.PruneAsync(new JobsPrune()));
        Assert.Equal(BigJob, (await MemoryAsync(h)).HeldBytes);

        await h.Store.FlushAsync(new JobsFlush());
        Assert.Equal(0, (await MemoryAsync(h)).HeldBytes);
    }

    [Fact]
    public async Task HeldBytes_Failures_CountedUpToTheHistoryLimit()
    {
        await using var h = await OpenAsync(long.MaxValue);
        await h.Store.EnqueueAsync(new JobEnqueue([Big("f") with { MaxAttempts = 20 }]));
        var failure = new JobFailure(1, default, "E", new string('m', 500), ["at A", "at B"]);
        for (var attempt = 1; attempt <= JobFailure.HistoryLimit + 3; attempt++)
        {
            var job = Assert.Single(await h.Store.FetchAsync(new JobFetch(["q"], 1, "w")));
            await h.Store.SettleAsync(new JobSettle([], [new JobFail(job.Key, job.Lease!.Token, failure.ErrorType, failure.Message, failure.Backtrace, TimeSpan.Zero)]));
            var expected = BigJob + (Math.Min(attempt, JobFailure.HistoryLimit) * JobFootprint.Of(failure));
            Assert.Equal(expected, (await MemoryAsync(h)).HeldBytes);
            h.Time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task Restart_UnderASmallerBudget_RecoversEveryJobAndOnlyRefusesEnqueues()
    {
        await using var h = await OpenAsync(long.MaxValue);
        await h.Store.EnqueueAsync(new JobEnqueue([.. Enumerable.Range(0, 20).Select(i => Big($"j{i}"))]));
        var leased = Assert.Single(await h.Store.FetchAsync(new JobFetch(["q"], 1, "w")));
        Assert.True(await h.Store.SnapshotAsync());
        await h.Store.EnqueueAsync(new JobEnqueue([Big("after-snapshot")]));
        var held = (await MemoryAsync(h)).HeldBytes;

        h.Options.MemoryBudgetBytes = 5 * BigJob;
        await h.CrashAndReopenAsync();

        var stats = await h.Store.GetStatsAsync();
        Assert.Equal(20, stats.Counts[JobState.Available]);
        Assert.Equal(1, stats.Counts[JobState.Active]);
        Assert.Equal(new StoreMemory(held, 5 * BigJob), stats.Memory);
        Assert.Contains(h.Logs.Lines, l => l.Message.Contains("over the memory budget", StringComparison.Ordinal));
        Assert.Equal(EnqueueStatus.StorageFull, (await h.Store.EnqueueAsync(new JobEnqueue([Big("new")]))).Status);
        Assert.Equal(SettleStatus.Ok, (await h.Store.SettleAsync(new JobSettle([new JobAck(leased.Key, leased.Lease!.Token)], [])))[0].Status);
        Assert.Equal(5, (await h.Store.FetchAsync(new JobFetch(["q"], 5, "w"))).Count);
    }
}
