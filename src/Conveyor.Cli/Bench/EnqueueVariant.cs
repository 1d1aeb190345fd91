namespace Conveyor.Cli.Bench;

/// <summary>Which enqueue shapes <c>conveyor bench enqueue</c> runs.</summary>
internal enum EnqueueVariant
{
    All,
    Single,
    Concurrent,
    Batched,
}
