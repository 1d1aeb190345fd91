namespace Conveyor.Core.Cron;

/// <summary>Which tick a schedule fires now, decided alike by every store's fire operation.</summary>
public static class CronDue
{
    /// <summary>
    /// The tick to fire at <paramref name="now"/>: the latest tick after <paramref name="after"/> (the schedule's last
    /// tick, or when it was saved or resumed, whichever is later), so one job however many ticks passed. Null when none is
    /// due, or when the due tick passed before <paramref name="openedAt"/> (while the store was down) and the schedule
    /// skips missed ticks.
    /// </summary>
    public static DateTimeOffset? TickToFire(CronPlan plan, CronMissedPolicy missed, DateTimeOffset after, DateTimeOffset openedAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.LatestDue(after, now) is not { } tick)
        {
            return null;
        }

        return missed == CronMissedPolicy.Skip && tick < openedAt ? null : tick;
    }
}
