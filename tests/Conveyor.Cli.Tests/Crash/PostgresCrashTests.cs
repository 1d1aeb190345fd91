using System.Diagnostics;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Cli.Tests.Crash;

/// <summary>
/// Two <c>conveyor serve</c> nodes on one PostgreSQL database under load, each SIGKILLed in turn while the load moves
/// to the other: every job whose enqueue was acknowledged is completed, and no lease is acknowledged twice (a job leased
/// on a killed node is redelivered by the survivor once its lease runs out).
/// </summary>
public sealed class PostgresCrashTests
{
    private static readonly string[] KeepEveryCompletedJob = ["--keep-completed", "100000000"];

    [Fact]
    public async Task SigKill_EachNodeInTurnUnderLoad_LosesNoAcknowledgedJobAndCompletesEachOnce()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var connection = await cluster.CreateDatabaseAsync();
        var environment = new Dictionary<string, string> { ["CONVEYOR_STORE"] = "postgres", ["CONVEYOR_POSTGRES"] = connection };
        var seed = Environment.TickCount;
        var random = new Random(seed);
        using var dataA = new TempDirectory("conveyor-pg-crash-a");
        using var dataB = new TempDirectory("conveyor-pg-crash-b");
        string[] directories = [dataA.Path, dataB.Path];
        var nodes = new ConveyorProcess[2];
        nodes[0] = await ConveyorProcess.StartReadyAsync(directories[0], environment, KeepEveryCompletedJob);
        nodes[1] = await ConveyorProcess.StartReadyAsync(directories[1], environment, KeepEveryCompletedJob);
        using var load = new CrashLoad("pg-crash");
        load.Follow(nodes[0].Address);
        var started = Stopwatch.StartNew();

        using var stopProducers = new CancellationTokenSource();
        using var stopWorkers = new CancellationTokenSource();
        Task[] producers = [load.ProduceSinglesAsync("single", stopProducers.Token), load.ProduceBatchesAsync("batch", 25, stopProducers.Token)];
        Task[] workers = [load.WorkAsync(stopWorkers.Token), load.WorkAsync(stopWorkers.Token)];
        try
        {
            for (var kill = 0; kill < 4; kill++)
            {
                await Task.Delay(random.Next(500, 1500));
                var victim = kill % 2;
                load.Follow(nodes[1 - victim].Address);
                nodes[victim].Kill();
                nodes[victim].Dispose();
                nodes[victim] = await ConveyorProcess.StartReadyAsync(directories[victim], environment, KeepEveryCompletedJob);
            }

            await stopProducers.CancelAsync();
            await CrashLoad.StoppedAsync(producers);

            // Drain: jobs leased on a killed node come back once their 3 s lease runs out.
            var unfinished = await load.DrainAsync();
            await load.VerifyAsync(stopWorkers, workers, unfinished, $"postgres crash test (seed {seed}): 4 kills", started);
        }
        finally
        {
            await stopProducers.CancelAsync();
            await stopWorkers.CancelAsync();
            foreach (var node in nodes)
            {
                node.Dispose();
            }
        }
    }
}
