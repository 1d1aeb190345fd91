using Conveyor.Core.Inputs;
using Conveyor.Core.Jobs;

namespace Conveyor.Core.Cron;

/// <summary>Checks a <see cref="CronSchedule"/>: its name, expression, time zone and job template.</summary>
public static class CronScheduleValidator
{
    /// <summary>Longest schedule name (a queue's).</summary>
    public const int NameLength = InputLimits.QueueLength;

    /// <summary>The first problem with the schedule's name, or null.</summary>
    public static JobSpecError? ValidateName(string? name) =>
        NameRules.Check(name, NameLength) is { } error ? new JobSpecError("name", error.Message, error.TooLarge) : null;

    /// <summary>The first problem with <paramref name="schedule"/> (fields named as on the wire; the template's as <c>job.FIELD</c>), or null.</summary>
    public static JobSpecError? Validate(CronSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (ValidateName(schedule.Name) is { } nameError)
        {
            return nameError;
        }

        if (CronPlan.TryParse(schedule.Expression, schedule.TimeZone, out var planError) is null)
        {
            return planError;
        }

        if (!Enum.IsDefined(schedule.Missed))
        {
            return new JobSpecError("missed", "must be 'fire_once' or 'skip'");
        }

        var job = schedule.Job;
        if (job.Id is not null)
        {
            return new JobSpecError("job.id", "a schedule's job has no id: each tick makes a new job");
        }

        if (job.RunAt is not null)
        {
            return new JobSpecError("job.run_at", "a schedule's job has no run_at or delay_ms: its tick is when it runs");
        }

        if (job.UniqueKey is not null)
        {
            return new JobSpecError("job.unique_key", "a schedule's job has no unique key of its own: each tick's job gets one (cron:NAME:TICK)");
        }

        return JobSpecValidator.Validate(CronTicks.JobFor(schedule, DateTimeOffset.UnixEpoch)) is { } jobError
            ? jobError with { Field = "job." + jobError.Field }
            : null;
    }
}
