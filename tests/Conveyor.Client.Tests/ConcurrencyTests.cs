namespace Conveyor.Client.Tests;

public sealed class ConcurrencyTests
{
    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Worker_QueueConcurrencyThree_NeverRunsMoreThanThreeAtOnce(string transport)
    {
        await using var server = await TestServer.StartAsync(transport);
        var ids = await server.Client.EnqueueBatchAsync(Enumerable.Range(0, 30).Select(_ => new SleepJob(40)));
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("default", 3));

        await Eventually.HoldsAsync(async () => (await server.StatsAsync()).Counts["completed"] == 30, "30 completions");

        Assert.InRange(worker.Probe.MaxConcurrent, 1, 3);
        Assert.Equal(30, worker.Probe.Calls.Count);
        Assert.All(ids, id => Assert.Equal(1, worker.Probe.Calls[id]));
    }
}
