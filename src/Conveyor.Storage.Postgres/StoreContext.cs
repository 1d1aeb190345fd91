using Conveyor.Core.Storage;

namespace Conveyor.Storage.Postgres;

/// <summary>What every operation of one store instance shares: the database, the settings, the clock, the waiting fetches.</summary>
internal sealed class StoreContext(Database database, JobStoreSettings settings)
{
    public Database Db { get; } = database;

    public JobStoreSettings Settings { get; } = settings;

    /// <summary>When this store instance opened: schedule ticks due before it were missed while it was down.</summary>
    public DateTimeOffset OpenedAt { get; } = settings.Time.GetUtcNow();

    /// <summary>Set once the store is built; wakes this node's waiting fetches after its own writes.</summary>
    public FetchWaiters Waiters { get; set; } = null!;

    /// <summary>This node's leader election; none for a context that only enqueues in a caller's transaction (it runs no maintenance).</summary>
    public LeaderElector? Leader { get; set; }

    /// <summary>Set once the store is built; this node's rate limit on NOTIFYs for new jobs.</summary>
    public NotifyLimiter Notifies { get; set; } = null!;

    /// <summary>The store clock now, in UTC ticks (every time the store writes comes from here, never from the database's now()).</summary>
    public long Now => Settings.Time.GetUtcNow().UtcTicks;

    /// <summary>
    /// A random slot of the totals table: settles on many nodes add to different rows instead of queueing on one.
    /// </summary>
    public static short TotalsSlot() => (short)Random.Shared.Next(16);
}
