namespace Conveyor.Protocol.Faktory.Wire;

/// <summary>
/// One of INFO's <c>tasks</c>, Faktory's background jobs: the set scanners (<c>Scheduled</c>, <c>Retries</c>,
/// <c>Dead</c>) carry enqueued, cycles, size and wall time; the reapers (<c>Busy</c>, <c>Workers</c>) size and reaped.
/// Fields a task does not have are left out, as Faktory does.
/// </summary>
public sealed class FaktoryTaskStats
{
    public long? Enqueued { get; set; }

    public long? Cycles { get; set; }

    public long Size { get; set; }

    public double? WallTimeSec { get; set; }

    public long? Reaped { get; set; }
}
