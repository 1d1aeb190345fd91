using System.Text.Json;

namespace Conveyor.Server.Tests;

/// <summary><c>GET /v1/stats</c>'s <c>cluster</c> block on the embedded store: one node, which leads (docs/postgres.md, "Leader").</summary>
public sealed class ClusterStatsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stats_EmbeddedStore_ReportTheNodeAsTheLeaderOfTermOne()
    {
        await using var server = await RunningServer.StartAsync();

        using var json = JsonDocument.Parse(await server.Http.GetStringAsync("v1/stats", Ct));

        var cluster = json.RootElement.GetProperty("cluster");
        Assert.False(string.IsNullOrEmpty(cluster.GetProperty("node").GetString()));
        Assert.True(cluster.GetProperty("leader").GetBoolean());
        Assert.Equal(1, cluster.GetProperty("term").GetInt64());
    }
}
