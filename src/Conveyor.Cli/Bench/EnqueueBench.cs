namespace Conveyor.Cli.Bench;

/// <summary>
/// <c>conveyor bench enqueue</c>: enqueue throughput with one request in flight (next to the machine's fsync
/// rate and round trips, loopback and HTTP: its ceiling under <c>sync</c>), with many single requests in flight, and in batches; after a
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

        var single = settings.Variant is EnqueueVariant.All or EnqueueVariant.Single;
        (BenchRow Append, BenchRow Preallocated)? fsync = null;
        BenchRow? roundTrip = null;
        BenchRow? httpRoundTrip = null;
        if (settings.FsyncProbeSeconds > 0)
        {
            var probeTime = TimeSpan.FromSeconds(settings.FsyncProbeSeconds);
            var probe = await FsyncProbe.RunBothAsync(settings.DataRoot, probeTime, run.CancellationToken).ConfigureAwait(false);
            fsync = probe;
            run.Add(probe.Append);
            run.Add(probe.Preallocated);
            foreach (var figure in FsyncProbe.Figures(probe.Append, probe.Preallocated))
            {
                run.Add(figure);
            }

            if (single)
            {
                roundTrip = await RoundTripProbe.RunAsync(probeTime, run.CancellationToken).ConfigureAwait(false);
                run.Add(roundTrip);
                httpRoundTrip = await HttpRoundTripProbe.RunAsync(run.Target.Http, probeTime, run.CancellationToken).ConfigureAwait(false);
                run.Add(httpRoundTrip);
            }
        }

        if (single)
        {
            var row = await PhaseAsync(run, "enqueue: single, 1 in flight", loops: 1, batch: 1).ConfigureAwait(false);
            run.Add(row);
            if (fsync is { } probe && row.JobsPerSecond is { } rate
                && probe.Preallocated.JobsPerSecond is > 0 && probe.Append.JobsPerSecond is > 0)
            {
                // The preallocated rate is the machine's best and what the WAL does: the ratio that counts.
                run.Add("single in flight / fsync rate (preallocated)", rate / probe.Preallocated.JobsPerSecond.Value, "ratio");
                run.Add("single in flight / fsync rate (append)", rate / probe.Append.JobsPerSecond.Value, "ratio");
                // One request in flight waits for an fsync and a round trip in series, at the very least.
                AddCeiling(run, rate, probe.Preallocated, roundTrip, "loopback round trip");
                AddCeiling(run, rate, probe.Preallocated, httpRoundTrip, "GET /healthz");
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

    private static void AddCeiling(BenchRun run, double rate, BenchRow fsync, BenchRow? roundTrip, string what)
    {
        if (roundTrip?.JobsPerSecond is not > 0)
        {
            return;
        }

        var ceiling = 1 / (1 / fsync.JobsPerSecond!.Value + 1 / roundTrip.JobsPerSecond.Value);
        run.Add($"one in flight ceiling (preallocated fsync + {what}, in series)", ceiling, "jobs/s");
        run.Add($"single in flight / ceiling with {what}", rate / ceiling, "ratio");
    }

    private static async Task<BenchRow> PhaseAsync(BenchRun run, string name, int loops, int batch, long? jobs = null)
    {
        var total = jobs ?? run.Settings.Jobs;
        var producers = new ProducerPool(run.Target.Http, run.NewJobs(), batch, stamped: false);
        using var limit = run.PhaseLimit();
        var meter = await PhaseMeter.StartAsync(run.Target).ConfigureAwait(false);
        var done = await run.Progress.RunAsync(name, total, counter => producers.RunAsync(loops, total, counter, limit.Token)).ConfigureAwait(false);
        return await meter.FinishAsync(name, done, producers.RequestLatency, batch == 1 ? "enqueue request" : "batch request", BenchRun.ShortNote(done, total)).ConfigureAwait(false);
    }
}
