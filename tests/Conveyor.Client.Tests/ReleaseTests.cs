namespace Conveyor.Client.Tests;

/// <summary>A job whose lease expires mid-run and is leased again to the same worker: two attempts of one job at once.</summary>
public sealed class ReleaseTests
{
    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Worker_JobReleasedToItselfWhileTheFirstAttemptRuns_ShutdownCancelsBothAttempts(string transport)
    {
        await using var server = await TestServer.StartAsync(transport);
        var probe = new Probe();
        await using var worker = await TestWorker.StartAsync(server, o =>
        {
            o.AddQueue("hold", 2);
            o.HeartbeatsEnabled = false;
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(300);
        }, probe);
        var id = await server.Client.EnqueueAsync(new HoldJob("twice"), new JobOptions { LeaseSeconds = 1, Backoff = "fixed:0" });
        await Eventually.HoldsAsync(() => probe.Calls.TryGetValue(id, out var calls) && calls == 2, "the expired lease to be given to the same worker again");

        await worker.StopAsync();

        // Both attempts were running; tracked by job id, the second hid the first, which shutdown then never cancelled.
        await Eventually.HoldsAsync(() => probe.CancelledAttempts.Count == 2, "both attempts to see cancellation");
        Assert.Equal([(id, 1), (id, 2)], probe.CancelledAttempts.Order());
        // Only the second attempt's lease was current: its Shutdown failure hands the job back (retry now); the first one's is stale.
        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(id))!.State == "available", "the job to be handed back");
        var job = (await server.Client.GetAsync(id))!;
        Assert.Equal(["LeaseExpired", "Shutdown"], job.Failures.Select(f => f.ErrorType));
    }
}
