namespace Conveyor.Cli.Bench;

/// <summary>What a run prints as a table and writes with <c>--json</c>.</summary>
internal sealed record BenchReport
{
    public required string Mode { get; init; }

    public required string Command { get; init; }

    /// <summary>Cores, OS, runtime: the figures mean little without them.</summary>
    public required string Machine { get; init; }

    /// <summary>The server measured: its URL, and whether this run started it (with which durability).</summary>
    public required string Server { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required IReadOnlyList<BenchRow> Rows { get; init; }

    public required IReadOnlyList<BenchFigure> Figures { get; init; }
}
