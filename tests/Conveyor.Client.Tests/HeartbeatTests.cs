namespace Conveyor.Client.Tests;

public sealed class HeartbeatTests
{
    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Worker_JobLongerThanLeaseWithHeartbeats_IsNeverRedelivered(string transport)
    {
        await using var server = await TestServer.StartAsync(transport);
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("default", 2));

        var id = await server.Client.EnqueueAsync(new SleepJob(4500), new JobOptions { LeaseSeconds = 2, Backoff = "fixed:0" });

        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(id))!.State == "completed", "the job to complete");
        var job = (await server.Client.GetAsync(id))!;
        Assert.Equal(1, job.Attempt);
        Assert.Empty(job.Failures);
        Assert.Equal(1, worker.Probe.Calls[id]);
    }

    [Fact]
    public async Task Worker_JobLongerThanLeaseWithoutHeartbeatsOrLeaseChecks_IsRedeliveredAndTheLateAckIsStale()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.StartAsync(server, o =>
        {
            o.AddQueue("default", 2);
            o.HeartbeatsEnabled = false;
            o.CancellationCheckInterval = TimeSpan.Zero;
        });

        var id = await server.Client.EnqueueAsync(new SleepJob(2500, OnlyFirstAttempt: true), new JobOptions { LeaseSeconds = 1, Backoff = "fixed:0" });

        await Eventually.HoldsAsync(
            () => worker.Logs.Messages.Any(m => m.Contains(id, StringComparison.Ordinal) && m.Contains("stale", StringComparison.Ordinal)),
            "the late ack to be refused as stale");
        var job = (await server.Client.GetAsync(id))!;
        Assert.Equal("completed", job.State);
        Assert.Equal(2, job.Attempt);
        Assert.Equal("LeaseExpired", Assert.Single(job.Failures).ErrorType);
        Assert.Equal(2, worker.Probe.Calls[id]);
    }
}
