using System.Diagnostics;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Cli.Tests.Crash;

/// <summary>
/// Two <c>conveyor serve</c> nodes on one PostgreSQL cluster, producers and workers spread over both, and the cluster
/// restarted (<c>pg_ctl restart -m fast</c>: every connection cut) under the load: both nodes get back to ready by
/// themselves, every enqueue they acknowledged is completed, none is acknowledged as completed twice, and nothing is left
/// stuck (a lease whose ack was lost in the restart runs out and the job is redelivered).
/// </summary>
public sealed class PostgresRestartTests
{
    private static readonly string[] KeepEveryCompletedJob = ["--keep-completed", "100000000"];

    [Fact]
    public async Task DatabaseRestart_UnderLoadOnTwoNodes_NodesReconnectAndEveryAcknowledgedJobCompletesOnce()
    {
        // A cluster of its own: the run's shared one must not restart under other tests.
        await using var cluster = await PostgresCluster.StartAsync();
        var connection = await cluster.CreateDatabaseAsync();
        var environment = new Dictionary<string, string> { ["CONVEYOR_STORE"] = "postgres", ["CONVEYOR_POSTGRES"] = connection };
        using var dataA = new TempDirectory("conveyor-pg-restart-a");
        using var dataB = new TempDirectory("conveyor-pg-restart-b");
        using var a = await ConveyorProcess.StartReadyAsync(dataA.Path, environment, KeepEveryCompletedJob);
        using var b = await ConveyorProcess.StartReadyAsync(dataB.Path, environment, KeepEveryCompletedJob);
        using var ledger = new CrashLoad("pg-restart");
        ledger.Follow(a.Address);
        using var load = new NodeLoad(ledger, "pg-restart", leaseSeconds: 3);
        var started = Stopwatch.StartNew();

        using var stopProducers = new CancellationTokenSource();
        using var stopWorkers = new CancellationTokenSource();
        Task[] producers =
        [
            load.ProduceAsync(() => a.Address, "single-a", 1, stopProducers.Token),
            load.ProduceAsync(() => b.Address, "batch-b", 25, stopProducers.Token),
            load.ProduceAsync(() => b.Address, "single-b", 1, stopProducers.Token),
        ];
        Task[] workers =
        [
            load.WorkAsync(() => a.Address, "wa1", 1000, stopWorkers.Token),
            load.WorkAsync(() => a.Address, "wa2", 1000, stopWorkers.Token),
            load.WorkAsync(() => b.Address, "wb1", 1000, stopWorkers.Token),
            load.WorkAsync(() => b.Address, "wb2", 1000, stopWorkers.Token),
        ];
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
            var before = ledger.Acknowledged.Count;
            await cluster.RestartAsync();

            // Nobody restarts the nodes: each finds its database again (LISTEN and the pool reconnect) and says so.
            await a.WaitReadyAsync();
            await b.WaitReadyAsync();
            await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
            await stopProducers.CancelAsync();
            await CrashLoad.StoppedAsync(producers);
            Assert.True(ledger.Acknowledged.Count > before, "no enqueue was acknowledged after the restart");

            var unfinished = await ledger.DrainAsync();
            Assert.Equal(0, unfinished);
            await ledger.VerifyAsync(stopWorkers, workers, unfinished, "postgres restart under load on two nodes", started, a.Output + b.Output);

            // The restart did reach both nodes: each lost its LISTEN connection and took it up again.
            Assert.Contains("LISTEN connection lost", a.Output, StringComparison.Ordinal);
            Assert.Contains("LISTEN connection lost", b.Output, StringComparison.Ordinal);
        }
        finally
        {
            await stopProducers.CancelAsync();
            await stopWorkers.CancelAsync();
        }
    }
}
