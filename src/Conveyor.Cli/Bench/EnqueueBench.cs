namespace Conveyor.Cli.Bench;

/// <summary>
/// <c>conveyor bench enqueue</c>: enqueue throughput with one request in flight (next to the machine's fsync
/// rate, its ceiling under <c>sync</c>), with many single requests in flight, and in batches; after a
/// warm-up (<c>--warmup-jobs</c> enqueued in batches on a queue of their own, not measured).
/// </summary>
internal static class EnqueueBench
{
    public static async Task RunAsync(BenchRun run)
    {
        var settings = run.Settings;
        if (settings.WarmupJobs > 0)
        {
            _ = await PhaseAsync(run, "warm-up (not measured)", settings.Producers, settings.BatchSize, settings.WarmupJobs).ConfigureAwait(false);
        }

        BenchRow? fsync = null;
        if (settings.FsyncProbeSeconds > 0)
        {
            fsync = await FsyncProbe.RunAsync(settings.DataRoot, TimeSpan.FromSeconds(settings.FsyncProbeSeconds), run.CancellationToken).ConfigureAwait(false);
            run.Add(fsync);
            run.Add("fsync rate (4 KiB append + fsync)", fsync.JobsPerSecond ?? 0, "fsyncs/s");
        }

        if (settings.Variant is EnqueueVariant.All or EnqueueVariant.Single)
        {
            var single = await PhaseAsync(run, "enqueue: single, 1 in flight", loops: 1, batch: 1).ConfigureAwait(false);
            run.Add(single);
            if (fsync?.JobsPerSecond is > 0 && single.JobsPerSecond is { } rate)
            {
                run.Add("single in flight / fsync rate", rate / fsync.JobsPerSecond.Value, "ratio");
            }
        }

        if (settings.Variant is EnqueueVariant.All or EnqueueVariant.Concurrent)
        {
            run.Add(await PhaseAsync(run, $"enqueue: single, {settings.Concurrency} in flight", settings.Concurrency, batch: 1).ConfigureAwait(false));
        }

        if (settings.Variant is EnqueueVariant.All or EnqueueVariant.Batched)
        {
            run.Add(await PhaseAsync(run, $"enqueue: batches of {settings.BatchSize}, {settings.Producers} in flight", settings.Producers, settings.BatchSize).ConfigureAwait(false));
        }
    }

    private static async Task<BenchRow> PhaseAsync(BenchRun run, string name, int loops, int batch, long? jobs = null)
    {
        var total = jobs ?? run.Settings.Jobs;
        var producers = new ProducerPool(run.Target.Http, run.NewJobs(), batch, stamped: false);
        using var limit = run.PhaseLimit();
        var meter = PhaseMeter.Start(run.Target);
        var done = await run.Progress.RunAsync(name, total, counter => producers.RunAsync(loops, total, counter, limit.Token)).ConfigureAwait(false);
        return meter.Finish(name, done, producers.RequestLatency, batch == 1 ? "enqueue request" : "batch request", BenchRun.ShortNote(done, total));
    }
}
