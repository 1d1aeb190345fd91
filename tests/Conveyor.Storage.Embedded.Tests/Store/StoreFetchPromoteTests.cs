using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Store;

/// <summary>A fetch promotes due jobs itself, at most <see cref="JobStoreSettings.PromoteBatch"/> per write.</summary>
public sealed class StoreFetchPromoteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fetch_MoreDueThanPromoteBatch_PromotesOnlyTheBatch()
    {
        await using var h = new StoreHarness(promoteBatch: 2);
        var spec = new JobSpec { Type = "t", Queue = "q", RunAt = h.Time.GetUtcNow().AddMinutes(1) };
        await h.Store.EnqueueAsync(new JobEnqueue([spec, spec, spec, spec, spec]), Ct);
        h.Time.Advance(TimeSpan.FromMinutes(2));

        var leased = await h.Store.FetchAsync(new JobFetch(["q"], 10, "w"), Ct);

        Assert.Equal(2, leased.Count);
        Assert.Equal(3, (await h.Store.GetStatsAsync(Ct)).Counts[JobState.Scheduled]);
    }

    [Fact]
    public void PromoteBatch_Zero_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new JobStoreSettings { PromoteBatch = 0 });
}
