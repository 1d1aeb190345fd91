using System.Diagnostics;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Cli.Tests.Crash;

/// <summary>
/// SPEC §5 crash safety against the real binary: SIGKILL the server under load again and again; every
/// job whose enqueue was acknowledged is later completed, and no lease is acknowledged twice. The
/// default run kills 5 times; <c>CONVEYOR_CRASH_KILLS</c> sets more (bench/crash-soak.sh runs 100+).
/// </summary>
public sealed class CrashTests
{
    /// <summary>The check lists every completed job at the end, so retention must not prune any (a fast run passes 100,000).</summary>
    // Every completed job kept (the test checks each was completed once), and a snapshot every MiB of WAL, so the
    // kills also land while background snapshots are being written.
    private static readonly string[] KeepEveryCompletedJob = ["--keep-completed", "100000000", "--snapshot-after-mib", "1"];

    [Fact]
    public async Task SigKill_UnderLoadRepeatedly_LosesNoAcknowledgedJobAndCompletesEachOnce()
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable("CONVEYOR_CRASH_KILLS"), out var k) ? k : 5;
        var seed = Environment.TickCount;
        var random = new Random(seed);
        using var data = new TempDirectory("conveyor-crash");
        using var load = new CrashLoad("crash");
        var server = await ConveyorProcess.StartAsync(data.Path, KeepEveryCompletedJob);
        load.Follow(server.Address);
        var started = Stopwatch.StartNew();

        using var stopProducers = new CancellationTokenSource();
        using var stopWorkers = new CancellationTokenSource();
        Task[] producers = [load.ProduceSinglesAsync("single-a", stopProducers.Token), load.ProduceSinglesAsync("single-b", stopProducers.Token), load.ProduceBatchesAsync("batch", 25, stopProducers.Token)];
        Task[] workers = [load.WorkAsync(stopWorkers.Token), load.WorkAsync(stopWorkers.Token)];
        try
        {
            for (var i = 0; i < kills; i++)
            {
                // After this run's first acknowledged enqueue: a server still starting on a loaded machine is not yet under load.
                await load.AcknowledgedPastAsync(load.Acknowledged.Count);
                await Task.Delay(random.Next(300, 1500));
                server.Kill();
                server.Dispose();
                server = await ConveyorProcess.StartAsync(data.Path, KeepEveryCompletedJob);
                load.Follow(server.Address);
            }

            await stopProducers.CancelAsync();
            await CrashLoad.StoppedAsync(producers);

            // The last restart may still be recovering (the API answers 503 until it is ready).
            await server.WaitReadyAsync();
            var unfinished = await load.DrainAsync();
            await load.VerifyAsync(stopWorkers, workers, unfinished, $"crash test (seed {seed}): {kills} kills", started, server.Output);
        }
        finally
        {
            await stopProducers.CancelAsync();
            await stopWorkers.CancelAsync();
            server.Dispose();
        }
    }
}
