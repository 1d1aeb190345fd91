using System.Globalization;
using Conveyor.Core.Jobs;

namespace Conveyor.Core.Cron;

/// <summary>The job a tick enqueues, the same in every store.</summary>
public static class CronTicks
{
    /// <summary>How long a tick's unique key holds (while the job is unfinished): a second guard after the schedule's last tick.</summary>
    public const int UniqueForSeconds = 24 * 3600;

    /// <summary>The unique key of the job of <paramref name="schedule"/>'s tick at <paramref name="tick"/>: <c>cron:NAME:2026-12-07T21:00:00Z</c>.</summary>
    public static string UniqueKey(string schedule, DateTimeOffset tick) =>
        string.Create(CultureInfo.InvariantCulture, $"cron:{schedule}:{tick.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}");

    /// <summary>The job <paramref name="schedule"/> enqueues for its tick at <paramref name="tick"/>.</summary>
    public static JobSpec JobFor(CronSchedule schedule, DateTimeOffset tick)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule.Job with
        {
            Id = null,
            RunAt = null,
            UniqueKey = UniqueKey(schedule.Name, tick),
            UniqueForSeconds = UniqueForSeconds,
        };
    }
}
