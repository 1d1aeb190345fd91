namespace Conveyor.Cli.Bench;

/// <summary>
/// <c>conveyor bench latency</c>: one producer offers single enqueues at <c>--rate</c> jobs/s while workers
/// long-poll; each job carries its send time, so the worker times enqueue → handler start and → acked.
/// </summary>
internal static class LatencyBench
{
    public static async Task RunAsync(BenchRun run)
    {
        var s = run.Settings;
        var total = Math.Min(s.Jobs, (long)s.Rate * s.DurationSeconds);
        var jobs = run.NewJobs();
        var producer = new OpenLoopProducer(run.Target.Http, jobs, s.Rate);
        var workers = new WorkerPool(run.Target.Http, jobs.Queue, s.BatchSize, s.FetchWaitMs);
        var name = $"latency: {s.Rate}/s offered, {s.Workers} workers";

        // The workers get time to finish what was offered in the last moments.
        using var workLimit = run.PhaseLimit(s.Duration + TimeSpan.FromSeconds(30));
        using var offerLimit = run.PhaseLimit(s.Duration + TimeSpan.FromSeconds(1));
        var meter = PhaseMeter.Start(run.Target);
        var (offered, completed) = await run.Progress.RunAsync(name, total, async counter =>
        {
            var working = workers.RunAsync(s.Workers, total, counter, workLimit.Token);
            var offered = await producer.RunAsync(total, new ProgressCounter(), offerLimit.Token).ConfigureAwait(false);
            return (offered, await working.ConfigureAwait(false));
        }).ConfigureAwait(false);

        var note = producer.Behind > 0 ? $"{producer.Behind:N0} sends late: {512} requests were in flight" : BenchRun.ShortNote(completed, total);
        var start = meter.Finish("latency: enqueue → handler start", completed, workers.StartLatency, "enqueue call → handler start", note);
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
    }
}
