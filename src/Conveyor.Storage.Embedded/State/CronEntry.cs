using Conveyor.Core.Cron;

namespace Conveyor.Storage.Embedded.State;

/// <summary>A schedule in the table: its definition and when it last fired, in UTC ticks.</summary>
internal sealed class CronEntry
{
    private bool parsed;
    private CronPlan? plan;

    public required CronSchedule Schedule { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    /// <summary>Ticks at or before this never fire: when the schedule was last saved or resumed.</summary>
    public long Since { get; set; }

    /// <summary>The last tick fired; 0 before the first.</summary>
    public long LastTick { get; set; }

    /// <summary>
    /// When the next tick may be due, in UTC ticks: a cache the fire operation keeps (0 = not known yet; rebuilt from
    /// <see cref="Since"/> and <see cref="LastTick"/>), never logged or snapshotted.
    /// </summary>
    public long NextDue { get; set; }

    /// <summary>
    /// The parsed schedule, or null when it cannot be parsed on this machine (its time zone missing from the OS's
    /// database): such a schedule loads and lists but does not fire until it is saved again.
    /// </summary>
    public CronPlan? Plan
    {
        get
        {
            if (!parsed)
            {
                plan = CronPlan.TryParse(Schedule.Expression, Schedule.TimeZone, out _);
                parsed = true;
            }

            return plan;
        }
    }

    /// <summary>Ticks after this may fire.</summary>
    public long After => Math.Max(Since, LastTick);

    /// <summary>A new definition: parse it again and forget the cached next tick.</summary>
    public void Redefine(CronSchedule schedule)
    {
        if (!string.Equals(schedule.Expression, Schedule.Expression, StringComparison.Ordinal)
            || !string.Equals(schedule.TimeZone, Schedule.TimeZone, StringComparison.Ordinal))
        {
            parsed = false;
            plan = null;
        }

        Schedule = schedule;
        NextDue = 0;
    }

    public CronScheduleInfo ToInfo() =>
        new(Schedule, Ticks.ToTime(CreatedAt), Ticks.ToTime(UpdatedAt), Ticks.ToNullableTime(LastTick));
}
