using Conveyor.Core.Jobs;

namespace Conveyor.Broker;

/// <summary>How often the broker's maintenance runs.</summary>
public sealed class BrokerOptions
{
    /// <summary>
    /// The pause between maintenance passes (promote due jobs, expire leases, prune). Fetches also promote
    /// due jobs themselves, so this bounds only how late a long-polling worker hears of a due job.
    /// </summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often retention pruning runs (it scans finished jobs, so less often).</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most jobs one maintenance write promotes, expires or prunes; a pass repeats each until fewer come back, so
    /// other commands run between the writes instead of waiting behind one for a million jobs.
    /// </summary>
    public int MaintenanceBatch { get; set; } = JobDefaults.MaintenanceBatch;

    /// <summary>
    /// Whether maintenance fires due schedules (periodic jobs). On by default; a store shared by several servers turns it
    /// off on all but one (its leader).
    /// </summary>
    public bool FireSchedules { get; set; } = true;

    /// <summary>The window over which <see cref="BrokerStats.Throughput"/> is averaged.</summary>
    public TimeSpan ThroughputWindow { get; set; } = TimeSpan.FromMinutes(1);
}
