namespace Conveyor.Cli.Bench;

/// <summary>What <c>conveyor bench</c> measures.</summary>
internal enum BenchMode
{
    Enqueue,
    EndToEnd,
    Latency,
    Memory,
    Fsync,
}
