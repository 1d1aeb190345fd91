using Conveyor.Core.Jobs;

namespace Conveyor.Core.Cron;

/// <summary>A named periodic job as an operator defines it; validate with <see cref="CronScheduleValidator"/>.</summary>
public sealed record CronSchedule
{
    /// <summary>The schedule's name: printable, no spaces, at most <see cref="CronScheduleValidator.NameLength"/> characters.</summary>
    public required string Name { get; init; }

    /// <summary>A cron expression of 5 fields (minute precision) or 6 (a leading seconds field).</summary>
    public required string Expression { get; init; }

    /// <summary>The IANA time zone the expression is read in.</summary>
    public string TimeZone { get; init; } = CronPlan.DefaultTimeZone;

    /// <summary>
    /// The job each tick enqueues (queue, type, args and options). It has no id, run_at or unique key of its own: each
    /// tick's job gets the unique key <see cref="CronTicks.UniqueKey"/>.
    /// </summary>
    public required JobSpec Job { get; init; }

    /// <summary>What happens to ticks missed while the store was down.</summary>
    public CronMissedPolicy Missed { get; init; } = CronMissedPolicy.FireOnce;

    /// <summary>A paused schedule fires nothing; ticks that pass while it is paused never fire.</summary>
    public bool Paused { get; init; }
}
