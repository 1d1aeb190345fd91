namespace Conveyor.Cli.Bench;

/// <summary>
/// One line of the results table: a phase's throughput, the percentiles of <see cref="Latency"/>, and what the
/// server (and this load generator) used meanwhile. Null means not measured (n/a).
/// </summary>
internal sealed record BenchRow
{
    public required string Name { get; init; }

    public long Jobs { get; init; }

    public double Seconds { get; init; }

    public double? JobsPerSecond { get; init; }

    /// <summary>What the percentiles time (one request, enqueue → handler start, ...).</summary>
    public string? Latency { get; init; }

    public double? P50Ms { get; init; }

    public double? P99Ms { get; init; }

    public double? P999Ms { get; init; }

    public long? ServerRssBytes { get; init; }

    public long? ServerPeakRssBytes { get; init; }

    /// <summary>Server CPU time over wall time, in % of one core.</summary>
    public double? ServerCpuPercent { get; init; }

    /// <summary>This process's CPU over wall time, in % of one core (it shares the machine with the server).</summary>
    public double? ClientCpuPercent { get; init; }

    /// <summary>WAL group commits during the phase (<c>GET /v1/stats</c>, storage).</summary>
    public long? ServerFlushes { get; init; }

    /// <summary>WAL fsyncs during the phase.</summary>
    public long? ServerFsyncs { get; init; }

    /// <summary>Time the server's GC paused it during the phase.</summary>
    public double? ServerGcPauseMs { get; init; }

    /// <summary>Full (generation 2) collections during the phase.</summary>
    public long? ServerGen2Collections { get; init; }

    /// <summary>Bytes the server allocated on its managed heap during the phase.</summary>
    public long? ServerAllocatedBytes { get; init; }

    /// <summary>Methods the server's JIT compiled during the phase: more than a few hundred means it was still warming up.</summary>
    public long? ServerJitMethods { get; init; }

    public string? Note { get; init; }

    /// <summary>A probe's row (no server figures): <paramref name="count"/> steps in <paramref name="seconds"/>, each timed in <paramref name="latency"/>.</summary>
    public static BenchRow Probe(string name, long count, double seconds, string latencyOf, LatencySamples latency, string note) => new()
    {
        Name = name,
        Jobs = count,
        Seconds = seconds,
        JobsPerSecond = count / seconds,
        Latency = latencyOf,
        P50Ms = latency.Milliseconds(0.50),
        P99Ms = latency.Milliseconds(0.99),
        P999Ms = latency.Milliseconds(0.999),
        Note = note,
    };
}
