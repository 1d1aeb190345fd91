namespace Conveyor.Cli.Bench;

/// <summary>
/// <c>conveyor bench e2e</c>: N jobs enqueued in batches, then drained by workers (batched fetch and settle over
/// HTTP, FETCH/ACK over Faktory, or the gRPC Work stream); or, with <c>--mixed</c>, producers and workers at once, timing each job from enqueue to handler.
/// Both start with a warm-up (<c>--warmup-jobs</c>, enqueued then drained on a queue of their own, not
/// measured): a fresh server and load generator spend their first seconds in the JIT.
/// </summary>
internal static class EndToEndBench
{
    public static async Task RunAsync(BenchRun run)
    {
        var s = run.Settings;
        if (s.WarmupJobs > 0)
        {
            _ = await EnqueueThenDrainAsync(run, s.WarmupJobs, "warm-up (not measured)").ConfigureAwait(false);
        }

        if (s.Mixed)
        {
            await MixedAsync(run).ConfigureAwait(false);
            return;
        }

        var (enqueue, drain) = await EnqueueThenDrainAsync(run, s.Jobs, "e2e").ConfigureAwait(false);
        run.Add(enqueue);
        run.Add(drain);
        var seconds = enqueue.Seconds + drain.Seconds;
        run.Add(new BenchRow { Name = "e2e total: enqueue + drain", Jobs = drain.Jobs, Seconds = seconds, JobsPerSecond = drain.Jobs / seconds });
        run.Add("e2e jobs/s (enqueue + drain)", drain.Jobs / seconds, "jobs/s");
    }

    /// <summary>Enqueues <paramref name="total"/> jobs on a queue of their own, then drains them; one row per phase, named after <paramref name="prefix"/>.</summary>
    private static async Task<(BenchRow Enqueue, BenchRow Drain)> EnqueueThenDrainAsync(BenchRun run, long total, string prefix)
    {
        var s = run.Settings;
        var jobs = run.NewJobs();
        var enqueueBatch = s.EnqueueBatchSize ?? s.BatchSize;
        var producers = new ProducerPool(run.Target.Http, jobs, enqueueBatch, stamped: false);
        var enqueueName = $"{prefix} enqueue: batches of {enqueueBatch}, {s.Producers} in flight";
        BenchRow enqueue;
        using (var limit = run.PhaseLimit())
        {
            var meter = await PhaseMeter.StartAsync(run.Target).ConfigureAwait(false);
            var enqueued = await run.Progress.RunAsync(enqueueName, total, c => producers.RunAsync(s.Producers, total, c, limit.Token)).ConfigureAwait(false);
            enqueue = await meter.FinishAsync(enqueueName, enqueued, producers.RequestLatency, "batch request", BenchRun.ShortNote(enqueued, total)).ConfigureAwait(false);
        }

        if (s.Drain == DrainProtocol.Faktory)
        {
            var faktory = new FaktoryWorkerPool(run.Target.Address.Host, run.Target.FaktoryPort, jobs.Queue);
            var faktoryName = $"{prefix} drain: {s.Workers} Faktory connections, FETCH/ACK 1";
            using var limit = run.PhaseLimit();
            var meter = await PhaseMeter.StartAsync(run.Target).ConfigureAwait(false);
            var drained = await run.Progress.RunAsync(faktoryName, enqueue.Jobs, c => faktory.RunAsync(s.Workers, enqueue.Jobs, c, limit.Token)).ConfigureAwait(false);
            return (enqueue, await meter.FinishAsync(faktoryName, drained, faktory.CycleLatency, "FETCH + ACK", Note(drained, enqueue.Jobs, faktory.Stale)).ConfigureAwait(false));
        }

        var workers = CreateWorkers(run, jobs.Queue);
        var drainName = $"{prefix} drain: {DrainDescription(s)}";
        using (var limit = run.PhaseLimit())
        {
            var meter = await PhaseMeter.StartAsync(run.Target).ConfigureAwait(false);
            var drained = await run.Progress.RunAsync(drainName, enqueue.Jobs, c => workers.RunAsync(s.Workers, enqueue.Jobs, c, limit.Token)).ConfigureAwait(false);
            return (enqueue, await meter.FinishAsync(drainName, drained, workers.CycleLatency, workers.CycleName, Note(drained, enqueue.Jobs, workers.Stale)).ConfigureAwait(false));
        }
    }

    /// <summary>The HTTP or gRPC workers the settings ask for (Faktory drains have their own pool).</summary>
    internal static IBenchWorkers CreateWorkers(BenchRun run, string queue)
    {
        var s = run.Settings;
        return s.Drain == DrainProtocol.Grpc
            ? new GrpcWorkerPool(run.Target.GrpcAddress, queue, s.Credits)
            : new WorkerPool(run.Target.Http, queue, s.BatchSize, s.FetchWaitMs);
    }

    internal static string DrainDescription(BenchSettings s) => s.Drain == DrainProtocol.Grpc
        ? $"{s.Workers} gRPC Work streams, {s.Credits} credits each"
        : $"{s.Workers} workers, fetch/settle {s.BatchSize}";

    private static async Task MixedAsync(BenchRun run)
    {
        var s = run.Settings;
        var jobs = run.NewJobs();
        var producers = new ProducerPool(run.Target.Http, jobs, s.BatchSize, stamped: true);
        var workers = CreateWorkers(run, jobs.Queue);
        var name = $"mixed: {s.Producers} producers x {s.BatchSize}, {DrainDescription(s)}";
        using var limit = run.PhaseLimit();
        var meter = await PhaseMeter.StartAsync(run.Target).ConfigureAwait(false);
        await using var rss = RssTimeline.Start(run.Target);
        var (enqueued, completed) = await run.Progress.RunAsync(name, s.Jobs, async counter =>
        {
            var working = workers.RunAsync(s.Workers, s.Jobs, counter, limit.Token);
            var enqueued = await producers.RunAsync(s.Producers, s.Jobs, new ProgressCounter(), limit.Token).ConfigureAwait(false);
            return (enqueued, await working.ConfigureAwait(false));
        }).ConfigureAwait(false);

        var row = await meter.FinishAsync(name, completed, workers.StartLatency, "enqueue → handler start", Note(completed, s.Jobs, workers.Stale)).ConfigureAwait(false);
        run.Add(row);
        run.Add(row with { Name = "mixed: enqueue → acked", Latency = "enqueue → settle acked", P50Ms = workers.DoneLatency.Milliseconds(0.5), P99Ms = workers.DoneLatency.Milliseconds(0.99), P999Ms = workers.DoneLatency.Milliseconds(0.999), Note = null });
        run.Add(row with { Name = "mixed: enqueue requests", Jobs = enqueued, JobsPerSecond = enqueued / row.Seconds, Latency = "batch request", P50Ms = producers.RequestLatency.Milliseconds(0.5), P99Ms = producers.RequestLatency.Milliseconds(0.99), P999Ms = producers.RequestLatency.Milliseconds(0.999), Note = null });
        run.Add("mixed jobs/s (completed)", row.JobsPerSecond ?? 0, "jobs/s");
        if (rss is not null)
        {
            await rss.ReportAsync(run).ConfigureAwait(false);
        }
    }

    private static string? Note(long done, long wanted, long stale) =>
        stale > 0 ? $"{stale:N0} acks not applied (stale/unknown)" : BenchRun.ShortNote(done, wanted);
}
