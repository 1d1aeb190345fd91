using System.Diagnostics;

namespace Conveyor.Cli.Bench;

/// <summary>Times one phase and what the server and this process used during it, and turns that into a <see cref="BenchRow"/>.</summary>
internal sealed class PhaseMeter
{
    private readonly BenchTarget target;
    private readonly long started;
    private readonly ProcessSample? serverBefore;
    private readonly int? pid;
    private readonly TimeSpan clientBefore;

    private PhaseMeter(BenchTarget target)
    {
        this.target = target;
        serverBefore = target.Sample();
        pid = target.Pid;
        clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        started = Stopwatch.GetTimestamp();
    }

    public static PhaseMeter Start(BenchTarget target) => new(target);

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(started);

    public BenchRow Finish(string name, long jobs, LatencySamples? latency = null, string? latencyLabel = null, string? note = null)
    {
        var seconds = Elapsed.TotalSeconds;
        var serverAfter = target.Sample();

        // A restarted server is a new process: all of its CPU time belongs to this phase.
        var cpuBefore = target.Pid == pid ? serverBefore?.CpuSeconds : 0;
        var client = (Process.GetCurrentProcess().TotalProcessorTime - clientBefore).TotalSeconds;
        return new BenchRow
        {
            Name = name,
            Jobs = jobs,
            Seconds = seconds,
            JobsPerSecond = seconds > 0 ? jobs / seconds : null,
            Latency = latency is { Count: > 0 } ? latencyLabel : null,
            P50Ms = latency?.Milliseconds(0.50),
            P99Ms = latency?.Milliseconds(0.99),
            P999Ms = latency?.Milliseconds(0.999),
            ServerRssBytes = serverAfter?.RssBytes,
            ServerPeakRssBytes = serverAfter?.PeakRssBytes,
            ServerCpuPercent = cpuBefore is { } before && serverAfter is { } after && seconds > 0 ? (after.CpuSeconds - before) / seconds * 100 : null,
            ClientCpuPercent = seconds > 0 ? client / seconds * 100 : null,
            Note = note,
        };
    }
}
