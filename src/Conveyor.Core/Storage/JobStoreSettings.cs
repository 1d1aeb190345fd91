using Conveyor.Core.Jobs;

namespace Conveyor.Core.Storage;

/// <summary>What every store needs besides its own connection settings.</summary>
public sealed record JobStoreSettings
{
    /// <summary>The clock (a fake one in tests).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Source of back-off jitter (a seeded one in tests).</summary>
    public Random Random { get; init; } = Random.Shared;

    /// <summary>Retention of finished jobs.</summary>
    public RetentionPolicy Retention { get; init; } = RetentionPolicy.Default;

    /// <summary>
    /// The most due jobs a fetch promotes before it leases (the broker's maintenance batch): a fetch that finds a
    /// million jobs come due does not stop the store for one huge write, and maintenance promotes the rest.
    /// </summary>
    public int PromoteBatch
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(PromoteBatch), value, "at least one job per write");
    } = JobDefaults.MaintenanceBatch;
}
