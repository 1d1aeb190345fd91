namespace Conveyor.Client.Tests;

public sealed class ShutdownTests
{
    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Worker_StoppedWithRunningHandlers_CancelsThemAndASecondWorkerGetsTheJobsAtOnce(string transport)
    {
        await using var server = await TestServer.StartAsync(transport);
        var probe = new Probe();
        await using var first = await TestWorker.StartAsync(server, o =>
        {
            o.AddQueue("default", 4).AddQueue("block", 2);
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(300);
        }, probe);
        var quick = await server.Client.EnqueueBatchAsync(Enumerable.Range(0, 20).Select(n => new CountJob(n)));
        await Eventually.HoldsAsync(async () => (await server.StatsAsync()).Counts["completed"] == 20, "the quick jobs to finish");
        var blocked = await server.Client.EnqueueBatchAsync([new BlockJob("a"), new BlockJob("b")], new JobOptions { LeaseSeconds = 600 });
        await Eventually.HoldsAsync(() => blocked.All(probe.Calls.ContainsKey), "both blocking jobs to start");

        await first.StopAsync();

        await Eventually.HoldsAsync(() => blocked.ToHashSet().SetEquals(probe.Cancelled), "every running handler to see cancellation");
        await using var second = await TestWorker.StartAsync(server, o => o.AddQueue("default", 4).AddQueue("block", 2), probe);
        // The lease (600 s) and the default back-off (15 s and more) are far away: only an immediate redelivery passes.
        await Eventually.HoldsAsync(async () => (await server.StatsAsync()).Counts["completed"] == 22, "the second worker to finish them", seconds: 10);
        foreach (var id in blocked)
        {
            var job = (await server.Client.GetAsync(id))!;
            Assert.Equal(2, job.Attempt);
            Assert.Equal("Shutdown", Assert.Single(job.Failures).ErrorType);
            Assert.Equal(2, probe.Calls[id]);
        }

        Assert.All(quick, id => Assert.Equal(1, probe.Calls[id]));
    }
}
