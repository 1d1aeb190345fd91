using System.Diagnostics;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Cli.Tests.Crash;

/// <summary>
/// Two <c>conveyor serve</c> nodes on one PostgreSQL database: workers long-poll one node while producers enqueue on the
/// other, and the worker-facing node is SIGKILLed with fetches in flight on it. The jobs its fetches leased that never
/// reached a worker come back once their (short) lease runs out and are completed exactly once through the other node;
/// nothing acknowledged is lost.
/// </summary>
public sealed class PostgresMidFetchKillTests
{
    private const string Queue = "pg-midfetch";
    private static readonly string[] KeepEveryCompletedJob = ["--keep-completed", "100000000"];

    [Fact]
    public async Task SigKill_WorkerFacingNodeWithFetchesInFlight_LeasedJobsComeBackAndCompleteOnce()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var connection = await cluster.CreateDatabaseAsync();
        var environment = new Dictionary<string, string> { ["CONVEYOR_STORE"] = "postgres", ["CONVEYOR_POSTGRES"] = connection };
        using var dataWorkers = new TempDirectory("conveyor-pg-midfetch-w");
        using var dataProducers = new TempDirectory("conveyor-pg-midfetch-p");
        using var workerNode = await ConveyorProcess.StartReadyAsync(dataWorkers.Path, environment, KeepEveryCompletedJob);
        using var producerNode = await ConveyorProcess.StartReadyAsync(dataProducers.Path, environment, KeepEveryCompletedJob);
        using var ledger = new CrashLoad(Queue);
        ledger.Follow(producerNode.Address);
        using var load = new NodeLoad(ledger, Queue, leaseSeconds: 2);
        var workersOn = workerNode.Address;
        var started = Stopwatch.StartNew();

        using var stopProducers = new CancellationTokenSource();
        using var stopWorkers = new CancellationTokenSource();
        Task[] producers =
        [
            load.ProduceAsync(() => producerNode.Address, "single", 1, stopProducers.Token),
            load.ProduceAsync(() => producerNode.Address, "batch", 10, stopProducers.Token),
        ];
        var workers = Enumerable.Range(0, 4)
            .Select(i => load.WorkAsync(() => Volatile.Read(ref workersOn), $"w{i}", 5000, stopWorkers.Token)).ToArray();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

            // From here on the worker-facing node's answers never reach a worker. Enqueue on the other node until its
            // waiting fetches have leased some of them (woken by NOTIFY), then kill it with its fetches in flight.
            load.Abandon(workerNode.Address);
            var clock = Stopwatch.StartNew();
            for (var n = 0; load.Dropped.IsEmpty; n++)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the worker-facing node leased nothing for 60 s");
                await load.ProduceAsync(() => producerNode.Address, [$"inflight-{n}"], TestContext.Current.CancellationToken);
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }

            Volatile.Write(ref workersOn, producerNode.Address);
            workerNode.Kill();

            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            await stopProducers.CancelAsync();
            await CrashLoad.StoppedAsync(producers);

            // Drain: the killed node's leases run out after 2 s and the survivor hands their jobs out again.
            var unfinished = await ledger.DrainAsync();
            Assert.Equal(0, unfinished);
            await ledger.VerifyAsync(stopWorkers, workers, unfinished, $"postgres mid-fetch kill: {load.Dropped.Count} leased jobs dropped", started, producerNode.Output);
            foreach (var id in load.Dropped.Keys)
            {
                Assert.Equal(1, ledger.Completions.GetValueOrDefault(id));
                var job = await load.ReadAsync(producerNode.Address, id);
                Assert.Equal("completed", job["state"]!.GetValue<string>());
                Assert.True(job["attempt"]!.GetValue<int>() >= 2, $"{id} was completed on its first lease, which never reached a worker");
            }
        }
        finally
        {
            await stopProducers.CancelAsync();
            await stopWorkers.CancelAsync();
        }
    }
}
