using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Broker.Tests;

public sealed class BrokerStatsTests : IAsyncLifetime
{
    private readonly BrokerHarness h = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => h.DisposeAsync();

    [Fact]
    public async Task GetStats_NoMaintenanceYet_ThroughputZero()
    {
        var stats = await h.Broker.GetStatsAsync(BrokerHarness.Ct);

        Assert.Equal(0, stats.Throughput);
    }

    [Fact]
    public async Task GetStats_AcksBetweenMaintenancePasses_ThroughputIsAcksPerSecond()
    {
        await h.Broker.RunMaintenanceOnceAsync(cancellationToken: BrokerHarness.Ct);
        for (var i = 0; i < 20; i++)
        {
            var id = await h.EnqueueAsync(BrokerHarness.Spec());
            Assert.Equal(SettleStatus.Ok, await h.Broker.AckAsync(id, (await h.FetchAsync())!.Lease!.Token, BrokerHarness.Ct));
        }

        h.Time.Advance(TimeSpan.FromSeconds(10));
        await h.Broker.RunMaintenanceOnceAsync(cancellationToken: BrokerHarness.Ct);

        var stats = await h.Broker.GetStatsAsync(BrokerHarness.Ct);
        Assert.Equal(2.0, stats.Throughput, precision: 6);
        Assert.Equal(20, stats.Store.Processed);
        Assert.Equal(20, stats.Store.Counts[JobState.Completed]);
    }
}
