namespace Conveyor.Client.Tests;

public sealed class RoundTripTests
{
    [Fact]
    public async Task Worker_TenThousandTypedJobsInBatches_EachHandledExactlyOnceAndCompleted()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("default", 64));

        var ids = new List<string>();
        for (var batch = 0; batch < 10; batch++)
        {
            ids.AddRange(await server.Client.EnqueueBatchAsync(Enumerable.Range(batch * 1000, 1000).Select(n => new CountJob(n))));
        }

        await Eventually.HoldsAsync(async () => (await server.StatsAsync()).Counts["completed"] == 10_000, "10,000 completions", seconds: 60);

        Assert.Equal(10_000, ids.Distinct().Count());
        Assert.Equal(10_000, worker.Probe.Calls.Count);
        Assert.All(worker.Probe.Calls, call => Assert.Equal(1, call.Value));
        Assert.True(ids.ToHashSet().SetEquals(worker.Probe.Calls.Keys));
        var stats = await server.StatsAsync();
        Assert.Equal(0, stats.Counts["retrying"] + stats.Counts["dead"] + stats.Counts["active"] + stats.Counts["available"]);
    }
}
