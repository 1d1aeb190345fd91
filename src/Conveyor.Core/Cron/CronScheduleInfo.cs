namespace Conveyor.Core.Cron;

/// <summary>A schedule as a store holds it.</summary>
/// <param name="Schedule">The definition as last saved (with its paused flag as it is now).</param>
/// <param name="CreatedAt">When it was first saved.</param>
/// <param name="UpdatedAt">When it was last saved, paused or resumed.</param>
/// <param name="LastTick">The tick it fired last (the occurrence's time, not when the job was made); null before its first.</param>
public sealed record CronScheduleInfo(CronSchedule Schedule, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? LastTick);
