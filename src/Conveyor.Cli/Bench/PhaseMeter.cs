using System.Diagnostics;
using Conveyor.Contracts.Queues;

namespace Conveyor.Cli.Bench;

/// <summary>
/// Times one phase and what the server and this process used during it (CPU and RSS from <c>/proc</c>; WAL
/// flushes, fsyncs, GC pauses and allocation from <c>GET /v1/stats</c>), and turns that into a <see cref="BenchRow"/>.
/// </summary>
internal sealed class PhaseMeter
{
    private readonly BenchTarget target;
    private readonly long started;
    private readonly ProcessSample? serverBefore;
    private readonly int? pid;
    private readonly TimeSpan clientBefore;
    private readonly StatsResponse? statsBefore;

    private PhaseMeter(BenchTarget target, StatsResponse? statsBefore)
    {
        this.target = target;
        this.statsBefore = statsBefore;
        serverBefore = target.Sample();
        pid = target.Pid;
        clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        started = Stopwatch.GetTimestamp();
    }

    public static async Task<PhaseMeter> StartAsync(BenchTarget target) => new(target, await target.TryStatsAsync().ConfigureAwait(false));

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(started);

    public async Task<BenchRow> FinishAsync(string name, long jobs, LatencySamples? latency = null, string? latencyLabel = null, string? note = null)
    {
        var row = Finish(name, jobs, latency, latencyLabel, note);
        if (await target.TryStatsAsync().ConfigureAwait(false) is not { } after)
        {
            return row;
        }

        // A restarted server counts from zero: all of its counts belong to this phase.
        var before = target.Pid == pid ? statsBefore : null;
        return row with
        {
            ServerFlushes = after.Storage is { } s ? s.Flushes - (before?.Storage?.Flushes ?? 0) : null,
            ServerFsyncs = after.Storage is { } f ? f.Fsyncs - (before?.Storage?.Fsyncs ?? 0) : null,
            ServerGcPauseMs = after.Runtime is { } r ? r.GcPauseMs - (before?.Runtime?.GcPauseMs ?? 0) : null,
            ServerGen2Collections = after.Runtime is { } g ? g.Gen2Collections - (before?.Runtime?.Gen2Collections ?? 0) : null,
            ServerAllocatedBytes = after.Runtime is { } a ? a.AllocatedBytes - (before?.Runtime?.AllocatedBytes ?? 0) : null,
            // A server from before the JIT count sends none (0): no figure rather than a negative one.
            ServerJitMethods = after.Runtime is { JitCompiledMethods: > 0 } j ? j.JitCompiledMethods - (before?.Runtime?.JitCompiledMethods ?? 0) : null,
        };
    }

    private BenchRow Finish(string name, long jobs, LatencySamples? latency, string? latencyLabel, string? note)
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
