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

    public string? Note { get; init; }
}
