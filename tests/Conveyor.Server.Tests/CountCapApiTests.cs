using System.Text.Json;
using Conveyor.Broker;
using Conveyor.Contracts.Json;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Server.Mapping;

namespace Conveyor.Server.Tests;

/// <summary>
/// <c>count_cap</c> in <c>GET /v1/stats</c> and <c>GET /v1/queues</c>: present when the store stops counting (the
/// PostgreSQL store), absent when every count is exact (the embedded store; docs/postgres.md, "Counts without scanning").
/// </summary>
public sealed class CountCapApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StatsAndQueues_EmbeddedStore_NoCountCap()
    {
        await using var server = await RunningServer.StartAsync();
        await server.Api.EnqueueAsync("t", "q");

        using var stats = JsonDocument.Parse(await server.Http.GetStringAsync("v1/stats", Ct));
        using var queues = JsonDocument.Parse(await server.Http.GetStringAsync("v1/queues", Ct));

        Assert.Equal(1, stats.RootElement.GetProperty("counts").GetProperty("available").GetInt64());
        Assert.False(stats.RootElement.TryGetProperty("count_cap", out _));
        var queue = Assert.Single(queues.RootElement.GetProperty("queues").EnumerateArray());
        Assert.Equal(1, queue.GetProperty("available").GetInt32());
        Assert.False(queue.TryGetProperty("count_cap", out _));
    }

    [Fact]
    public void StatsAndQueues_CappedStore_SayWhereCountingStops()
    {
        var counts = JobStateNames.All.ToDictionary(s => s, s => s == JobState.Available ? 10_000L : 0L);
        var stats = QueueMapping.ToResponse(new BrokerStats(new StoreStats(counts, 0, 0) { CountCap = 10_000 }, 0));
        var queues = QueueMapping.ToViews([new QueueInfo("q", 10_000, 0, 0, 0, false) { CountCap = 10_000 }]);

        using var statsJson = JsonDocument.Parse(JsonSerializer.Serialize(stats, ConveyorJsonContext.Default.StatsResponse));
        using var queueJson = JsonDocument.Parse(JsonSerializer.Serialize(queues, ConveyorJsonContext.Default.IReadOnlyListQueueView));

        Assert.Equal(10_000, statsJson.RootElement.GetProperty("count_cap").GetInt64());
        Assert.Equal(10_000, Assert.Single(queueJson.RootElement.EnumerateArray()).GetProperty("count_cap").GetInt32());
    }
}
