namespace Conveyor.Cli.Bench;

/// <summary>
/// <c>conveyor bench memory</c>: the server's RSS before and after N available jobs (bytes per job), then,
/// on a server this run started, how long a restart after SIGKILL takes to recover them (until <c>/readyz</c>).
/// </summary>
internal static class MemoryBench
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(BenchRun run)
    {
        var s = run.Settings;
        var target = run.Target;
        await Task.Delay(Settle, run.CancellationToken).ConfigureAwait(false);
        var before = target.Sample();

        var producers = new ProducerPool(target.Http, run.NewJobs(), s.BatchSize, stamped: false);
        var name = $"memory: enqueue, batches of {s.BatchSize}, {s.Producers} in flight";
        long enqueued;
        using (var limit = run.PhaseLimit())
        {
            var meter = await PhaseMeter.StartAsync(target).ConfigureAwait(false);
            enqueued = await run.Progress.RunAsync(name, s.Jobs, c => producers.RunAsync(s.Producers, s.Jobs, c, limit.Token)).ConfigureAwait(false);
            run.Add(await meter.FinishAsync(name, enqueued, producers.RequestLatency, "batch request", BenchRun.ShortNote(enqueued, s.Jobs)).ConfigureAwait(false));
        }

        await Task.Delay(Settle, run.CancellationToken).ConfigureAwait(false);
        var after = target.Sample();
        var stats = await target.Http.StatsAsync(run.CancellationToken).ConfigureAwait(false);
        run.Add("available jobs on the server", stats.Counts.GetValueOrDefault("available"), "jobs");
        AddRss(run, "", before, after, enqueued);

        if (!target.IsChild)
        {
            return;
        }

        var meterRestart = await PhaseMeter.StartAsync(target).ConfigureAwait(false);
        var (toReady, storeMs) = await target.RestartAsync(run.CancellationToken).ConfigureAwait(false);
        run.Add(await meterRestart.FinishAsync($"restart after SIGKILL, {enqueued:N0} jobs", enqueued, note: "s = kill → /readyz 200; jobs/s = recovered per second").ConfigureAwait(false));
        run.Add("restart: kill → /readyz", toReady.TotalSeconds, "s");
        if (storeMs is { } ms)
        {
            run.Add("restart: store recovery (its log line)", ms / 1000, "s");
        }

        // What came back is counted, not assumed: the restart is also a recovery check.
        var afterRestart = await target.Http.StatsAsync(run.CancellationToken).ConfigureAwait(false);
        run.Add("available jobs after recovery", afterRestart.Counts.GetValueOrDefault("available"), "jobs");
        await Task.Delay(Settle, run.CancellationToken).ConfigureAwait(false);
        var recovered = target.Sample();
        AddRss(run, " after recovery", before, recovered, enqueued);
    }

    private static void AddRss(BenchRun run, string when, ProcessSample? before, ProcessSample? after, long jobs)
    {
        if (before is not { } b || after is not { } a)
        {
            return;
        }

        if (when.Length == 0)
        {
            run.Add("server RSS before (idle, no jobs)", b.RssBytes / 1048576.0, "MiB");
        }

        run.Add($"server RSS with the jobs{when}", a.RssBytes / 1048576.0, "MiB");
        run.Add($"server peak RSS{when}", a.PeakRssBytes / 1048576.0, "MiB");
        if (jobs > 0)
        {
            run.Add($"bytes per available job{when} (vs idle)", (double)(a.RssBytes - b.RssBytes) / jobs, "bytes");
        }
    }
}
