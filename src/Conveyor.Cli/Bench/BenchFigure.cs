namespace Conveyor.Cli.Bench;

/// <summary>A single derived number of a run (fsync rate, ratio, bytes per job, recovery time).</summary>
internal sealed record BenchFigure(string Name, double Value, string Unit);
