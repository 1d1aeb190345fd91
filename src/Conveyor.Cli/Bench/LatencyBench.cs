namespace Conveyor.Cli.Bench;

/// <summary>
/// <c>conveyor bench latency</c>: one producer offers single enqueues at <c>--rate</c> jobs/s while workers
/// long-poll (HTTP fetch) or wait on their gRPC Work streams; each job carries its send time, so the worker times enqueue → handler start and → acked.
/// A warm-up at the same rate runs first and is not measured: a fresh process spends its first seconds in
/// the JIT, which would otherwise be the whole tail. After it, an fsync probe and an HTTP round-trip probe paced at the
/// same rate show the floor: every pickup waits for its enqueue's fsync and an HTTP hop each way.
/// </summary>
internal static class LatencyBench
{
    public static async Task RunAsync(BenchRun run)
    {
        var s = run.Settings;
        if (s.WarmupSeconds > 0)
        {
            _ = await OfferAsync(run, (long)s.Rate * s.WarmupSeconds, TimeSpan.FromSeconds(s.WarmupSeconds), "warm-up (not measured)").ConfigureAwait(false);
        }

        // The floor, at the same rate (after the warm-up: a cold server's first answers are the JIT's): every pickup
        // waits for its enqueue's fsync, and for an HTTP request in and an answer out between sleeping processes.
        BenchRow? fsync = null, http = null;
        if (s.FsyncProbeSeconds > 0)
        {
            var probeTime = TimeSpan.FromSeconds(s.FsyncProbeSeconds);
            fsync = await FsyncProbe.RunAsync(s.DataRoot, probeTime, preallocated: true, run.CancellationToken, s.Rate).ConfigureAwait(false);
            run.Add(fsync);
            http = await HttpRoundTripProbe.RunAsync(run.Target.Http, probeTime, run.CancellationToken, s.Rate).ConfigureAwait(false);
            run.Add(http);
        }

        var total = Math.Min(s.Jobs, (long)s.Rate * s.DurationSeconds);
        var meter = await PhaseMeter.StartAsync(run.Target).ConfigureAwait(false);
        await using var rss = RssTimeline.Start(run.Target);
        var (producer, workers, offered, completed) = await OfferAsync(run, total, s.Duration, "measured").ConfigureAwait(false);
        var note = producer.Behind > 0 ? $"{producer.Behind:N0} sends late: {OpenLoopProducer.MaxInFlight} requests were in flight" : BenchRun.ShortNote(completed, total);
        var start = await meter.FinishAsync("latency: enqueue → handler start", completed, workers.StartLatency, "enqueue call → handler start", note).ConfigureAwait(false);
        run.Add(start);
        run.Add(start with
        {
            Name = "latency: enqueue → acked",
            Latency = "enqueue call → settle acked",
            P50Ms = workers.DoneLatency.Milliseconds(0.5),
            P99Ms = workers.DoneLatency.Milliseconds(0.99),
            P999Ms = workers.DoneLatency.Milliseconds(0.999),
            Note = workers.Stale > 0 ? $"{workers.Stale:N0} acks not applied" : null,
        });
        run.Add(start with
        {
            Name = "latency: enqueue request",
            Jobs = offered,
            JobsPerSecond = offered / start.Seconds,
            Latency = "POST /v1/jobs",
            P50Ms = producer.RequestLatency.Milliseconds(0.5),
            P99Ms = producer.RequestLatency.Milliseconds(0.99),
            P999Ms = producer.RequestLatency.Milliseconds(0.999),
            Note = null,
        });
        run.Add("offered rate", s.Rate, "jobs/s");
        run.Add("pickup p50 (enqueue → handler start)", workers.StartLatency.Milliseconds(0.5) ?? double.NaN, "ms");
        run.Add("pickup p99 (enqueue → handler start)", workers.StartLatency.Milliseconds(0.99) ?? double.NaN, "ms");
        if (fsync is not null && http is not null)
        {
            run.Add("fsync p50 at the offered rate", fsync.P50Ms ?? double.NaN, "ms");
            run.Add("fsync p99 at the offered rate", fsync.P99Ms ?? double.NaN, "ms");
            run.Add("HTTP round trip p50 at the offered rate", http.P50Ms ?? double.NaN, "ms");
            run.Add("HTTP round trip p99 at the offered rate", http.P99Ms ?? double.NaN, "ms");
            run.Add("fsync p50 + HTTP round trip p50 (about the pickup's floor)", (fsync.P50Ms ?? double.NaN) + (http.P50Ms ?? double.NaN), "ms");
        }

        if (rss is not null)
        {
            await rss.ReportAsync(run).ConfigureAwait(false);
        }
    }

    /// <summary>Offers <paramref name="total"/> jobs at the run's rate on a queue of their own and drains them.</summary>
    private static async Task<(OpenLoopProducer Producer, IBenchWorkers Workers, long Offered, long Completed)> OfferAsync(
        BenchRun run, long total, TimeSpan duration, string phase)
    {
        var s = run.Settings;
        var jobs = run.NewJobs();
        var producer = new OpenLoopProducer(run.Target.Http, jobs, s.Rate);
        var workers = EndToEndBench.CreateWorkers(run, jobs.Queue);

        // The workers get time to finish what was offered in the last moments.
        using var workLimit = run.PhaseLimit(duration + TimeSpan.FromSeconds(30));
        using var offerLimit = run.PhaseLimit(duration + TimeSpan.FromSeconds(1));
        var (offered, completed) = await run.Progress.RunAsync($"latency {phase}: {s.Rate}/s offered, {EndToEndBench.DrainDescription(s)}", total, async counter =>
        {
            var working = workers.RunAsync(s.Workers, total, counter, workLimit.Token);
            var offered = await producer.RunAsync(total, new ProgressCounter(), offerLimit.Token).ConfigureAwait(false);
            return (offered, await working.ConfigureAwait(false));
        }).ConfigureAwait(false);
        return (producer, workers, offered, completed);
    }
}
