namespace Conveyor.Broker;

/// <summary>What maintenance has done since the broker started (Faktory's INFO shows it as its background tasks).</summary>
/// <param name="Cycles">Maintenance passes run.</param>
/// <param name="Promoted">Scheduled and retrying jobs made available (one pass promotes both).</param>
/// <param name="LeasesExpired">Active jobs whose lease ran out.</param>
/// <param name="Pruned">Finished jobs dropped by retention.</param>
/// <param name="WallTime">Time spent in the passes.</param>
public sealed record MaintenanceTotals(long Cycles, long Promoted, long LeasesExpired, long Pruned, TimeSpan WallTime);
