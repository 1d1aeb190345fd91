namespace Conveyor.Client.Tests;

public sealed class RoundTripTests
{
    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Worker_TenThousandTypedJobsInBatches_EachHandledExactlyOnceAndCompleted(string transport)
    {
        await using var server = await TestServer.StartAsync(transport);
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

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Worker_JobsAtAndOffTheirDefaults_HandlerSeesEachJobsOwnValues(string transport)
    {
        // The worker fetches lean views (omit_defaults): members at their defaults are not sent and must come back as
        // the defaults; members off them must come through.
        await using var server = await TestServer.StartAsync(transport);
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("default", 4));

        var plain = await server.Client.EnqueueAsync(new CountJob(1));
        var rich = await server.Client.EnqueueAsync(new CountJob(2), new JobOptions
        {
            Priority = 9,
            MaxAttempts = 3,
            LeaseSeconds = 600,
            Tags = ["a", "b c"],
            Meta = new Dictionary<string, string> { ["tenant"] = "acme", ["é"] = "\"" },
            Backoff = "fixed:5",
        });

        await Eventually.HoldsAsync(() => worker.Probe.Contexts.ContainsKey(plain) && worker.Probe.Contexts.ContainsKey(rich), "both jobs handled");
        var p = worker.Probe.Contexts[plain];
        Assert.Equal(("test.count", "default", 1, 25, 1800), (p.Type, p.Queue, p.Attempt, p.MaxAttempts, p.LeaseSeconds));
        Assert.Empty(p.Tags);
        Assert.Empty(p.Meta);
        var r = worker.Probe.Contexts[rich];
        Assert.Equal(("test.count", "default", 1, 3, 600), (r.Type, r.Queue, r.Attempt, r.MaxAttempts, r.LeaseSeconds));
        Assert.Equal(["a", "b c"], r.Tags);
        Assert.Equal(new Dictionary<string, string> { ["tenant"] = "acme", ["é"] = "\"" }, r.Meta);
    }
}
