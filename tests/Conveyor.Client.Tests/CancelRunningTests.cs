using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Conveyor.Client.Tests;

public sealed class CancelRunningTests
{
    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task CancelAsync_RunningHandler_TokenFiresWithinTwoSecondsAndTheJobEndsCancelled(string transport)
    {
        await using var server = await TestServer.StartAsync(transport);
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("hold", 2));
        var id = await server.Client.EnqueueAsync(new HoldJob("cancel me"));
        await Eventually.HoldsAsync(() => worker.Probe.Calls.ContainsKey(id), "the handler to start");

        // The default lease (1800 s) heartbeats every 600 s: only the lease check can reach the handler this soon.
        var cancelledAt = Stopwatch.StartNew();
        await server.Client.CancelAsync(id);
        await Eventually.HoldsAsync(() => worker.Probe.CancelledAttempts.Contains((id, 1)), "the handler's token to fire");
        var seen = cancelledAt.Elapsed;

        // 2 s is the promise (a 1 s check interval); the bound leaves slack for a loaded machine and is no benchmark.
        Assert.True(seen < TimeSpan.FromSeconds(5), $"the handler saw the cancel after {seen}");
        await worker.StopAsync();
        var job = (await server.Client.GetAsync(id))!;
        Assert.Equal("cancelled", job.State);
        Assert.Empty(job.Failures);
        Assert.Contains(worker.Logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains($"Job {id} (test.hold) was cancelled on the server", StringComparison.Ordinal));
        Assert.DoesNotContain(worker.Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task CancelAsync_HandlerIgnoresItsToken_NothingIsSettledAndNothingIsLoggedAsAnError(string transport)
    {
        await using var server = await TestServer.StartAsync(transport);
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("default", 2));
        var id = await server.Client.EnqueueAsync(new SleepJob(4000));
        await Eventually.HoldsAsync(() => worker.Probe.Calls.ContainsKey(id), "the handler to start");

        await server.Client.CancelAsync(id);

        await Eventually.HoldsAsync(() => worker.Logs.Messages.Any(m => m.Contains($"Job {id} (test.sleep) ended without its lease", StringComparison.Ordinal)), "the handler to end");
        await worker.StopAsync();
        Assert.Equal("cancelled", (await server.Client.GetAsync(id))!.State);
        Assert.DoesNotContain(worker.Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task CancelAsync_LateAckWithTheCheckOff_IsRefusedAndLoggedAsAWarningNotAnError()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.StartAsync(server, o =>
        {
            o.AddQueue("default", 2);
            o.CancellationCheckInterval = TimeSpan.Zero;
        });
        var id = await server.Client.EnqueueAsync(new SleepJob(1500));
        await Eventually.HoldsAsync(() => worker.Probe.Calls.ContainsKey(id), "the handler to start");

        await server.Client.CancelAsync(id);

        await Eventually.HoldsAsync(
            () => worker.Logs.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains($"Settling job {id} was refused: stale", StringComparison.Ordinal)),
            "the late ack to be refused");
        await worker.StopAsync();
        Assert.Equal("cancelled", (await server.Client.GetAsync(id))!.State);
        Assert.DoesNotContain(worker.Logs.Entries, e => e.Level >= LogLevel.Error);
    }
}
