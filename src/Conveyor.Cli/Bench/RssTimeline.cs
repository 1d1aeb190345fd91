namespace Conveyor.Cli.Bench;

/// <summary>
/// Samples the server's resident set once a second while a phase runs, so a long run can show whether
/// memory levels off (retention reached) or keeps growing.
/// </summary>
internal sealed class RssTimeline : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly BenchTarget target;
    private readonly CancellationTokenSource stop = new();
    private readonly List<long> samples = [];
    private readonly Task sampling;
    private int disposed;

    private RssTimeline(BenchTarget target)
    {
        this.target = target;
        sampling = SampleAsync();
    }

    /// <summary>Starts sampling; null when the server's process is unknown (an external server without <c>--server-pid</c>).</summary>
    public static RssTimeline? Start(BenchTarget target) => target.Pid is null ? null : new RssTimeline(target);

    /// <summary>Stops sampling and adds the RSS at each quarter of the phase, and the growth over its second half.</summary>
    public async Task ReportAsync(BenchRun run)
    {
        await DisposeAsync().ConfigureAwait(false);
        if (samples.Count < 4)
        {
            return;
        }

        foreach (var quarter in new[] { 1, 2, 3, 4 })
        {
            run.Add($"server RSS at {quarter * 25} % of the phase", Mib(At(quarter / 4.0)), "MiB");
        }

        run.Add("server RSS growth over the second half", Mib(At(1) - At(0.5)), "MiB");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await sampling.ConfigureAwait(false);
        stop.Dispose();
    }

    private long At(double fraction) => samples[LatencySamples.NearestRank(samples.Count, fraction)];

    private static double Mib(long bytes) => bytes / 1048576.0;

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                if (target.Sample() is { } sample)
                {
                    samples.Add(sample.RssBytes);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The phase is over.
        }
    }
}
