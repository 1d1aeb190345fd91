using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Store;

/// <summary>A queue's oldest available time comes back from the log alone (no snapshot), as it was.</summary>
public sealed class StoreOldestAvailableTests
{
    [Fact]
    public async Task Replay_PromotedAndRequeuedJobs_OldestAvailableAtAsBefore()
    {
        await using var h = new StoreHarness();
        await h.EnqueueAsync(StoreHarness.Job("scheduled", runAt: h.Time.GetUtcNow().AddMinutes(1)));
        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.Store.PromoteAsync(new JobsPromote());
        var promotedAt = h.Time.GetUtcNow();
        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.EnqueueAsync(StoreHarness.Job("other", queue: "other"));

        await h.ReopenAsync();

        var queues = await h.Store.ListQueuesAsync();
        Assert.Equal(promotedAt, Assert.Single(queues, q => q.Name == "q").OldestAvailableAt);
        Assert.Equal(h.Time.GetUtcNow(), Assert.Single(queues, q => q.Name == "other").OldestAvailableAt);
    }
}
