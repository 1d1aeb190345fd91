using System.Globalization;
using Conveyor.Core.Jobs;

namespace Conveyor.Core.Cron;

/// <summary>The job a tick enqueues, the same in every store.</summary>
public static class CronTicks
{
    /// <summary>How long a tick's unique key holds (while the job is unfinished): a second guard after the schedule's last tick.</summary>
    public const int UniqueForSeconds = 24 * 3600;

    /// <summary>The unique key of the job of <paramref name="schedule"/>'s tick at <paramref name="tick"/>: <c>cron:NAME:2026-12-07T21:00:00Z</c>.</summary>
    public static string UniqueKey(string schedule, DateTimeOffset tick) => "cron:" + schedule + ":" + TickText(tick);

    /// <summary>The meta key naming the schedule on a tick's job.</summary>
    public const string ScheduleMetaKey = "cron";

    /// <summary>The meta key holding the tick (UTC, <c>2026-12-07T21:00:00Z</c>) on a tick's job, for handlers.</summary>
    public const string TickMetaKey = "cron_tick";

    /// <summary>
    /// The job <paramref name="schedule"/> enqueues for its tick at <paramref name="tick"/>: the template with the tick's
    /// unique key, and meta <c>cron</c> (the schedule) and <c>cron_tick</c> (the tick) over the template's own.
    /// </summary>
    public static JobSpec JobFor(CronSchedule schedule, DateTimeOffset tick)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var meta = new Dictionary<string, string>(schedule.Job.Meta, StringComparer.Ordinal)
        {
            [ScheduleMetaKey] = schedule.Name,
            [TickMetaKey] = TickText(tick),
        };
        return schedule.Job with
        {
            Id = null,
            RunAt = null,
            UniqueKey = UniqueKey(schedule.Name, tick),
            UniqueForSeconds = UniqueForSeconds,
            Meta = meta,
        };
    }

    private static string TickText(DateTimeOffset tick) =>
        tick.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
