namespace Conveyor.Contracts.Cron;

/// <summary>The file <c>conveyor serve --cron-file</c> applies at start: schedules, each with its <c>name</c>.</summary>
public sealed record CronFile
{
    /// <summary>The schedules to create or replace; schedules not listed are left as they are.</summary>
    public IReadOnlyList<CronScheduleRequest>? Schedules { get; set; }
}
