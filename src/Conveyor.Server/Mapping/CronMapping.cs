using Conveyor.Broker;
using Conveyor.Contracts.Cron;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Core.Cron;
using Conveyor.Core.Jobs;

namespace Conveyor.Server.Mapping;

/// <summary>Wire schedule → <see cref="CronSchedule"/> (the broker validates the rest), and the schedule views with their next fire times.</summary>
internal static class CronMapping
{
    /// <summary>The most next fire times a view lists.</summary>
    public const int MaxNext = 100;

    /// <summary>The wire names of <see cref="CronMissedPolicy"/>.</summary>
    public static string ToName(CronMissedPolicy missed) => missed == CronMissedPolicy.Skip ? "skip" : "fire_once";

    /// <summary>The schedule <paramref name="request"/> describes, named <paramref name="name"/>; wire errors name their field (<c>job.FIELD</c> for the template's).</summary>
    public static CronSchedule ToSchedule(string name, CronScheduleRequest? request, DateTimeOffset now)
    {
        if (request is null)
        {
            throw new RequestRejectedException("schedule", "must be an object");
        }

        if (request.Name is not null && !string.Equals(request.Name, name, StringComparison.Ordinal))
        {
            throw new RequestRejectedException("name", $"'{request.Name}' differs from the name in the path ('{name}')");
        }

        if (request.Job is not { } job)
        {
            throw new RequestRejectedException("job", "is required: the job each tick enqueues (at least its type)");
        }

        if (job.Id is not null || job.RunAt is not null || job.DelayMs is not null || job.UniqueKey is not null || job.UniqueForSeconds is not null)
        {
            var field = job.Id is not null ? "id" : job.RunAt is not null ? "run_at" : job.DelayMs is not null ? "delay_ms" : job.UniqueKey is not null ? "unique_key" : "unique_for_seconds";
            throw new RequestRejectedException("job." + field, "a schedule's job has no id, run_at, delay_ms or unique key: each tick makes a new job with the key cron:NAME:TICK");
        }

        var missed = request.Missed switch
        {
            null or "fire_once" => CronMissedPolicy.FireOnce,
            "skip" => CronMissedPolicy.Skip,
            _ => throw new RequestRejectedException("missed", "must be 'fire_once' or 'skip'"),
        };

        JobSpec spec;
        try
        {
            spec = JobSpecMapping.ToSpec(job, now);
        }
        catch (RequestRejectedException ex)
        {
            throw new RequestRejectedException("job." + ex.Field, ex.Reason, tooLarge: ex.TooLarge);
        }

        return new CronSchedule
        {
            Name = name,
            Expression = request.Expression ?? "",
            TimeZone = request.TimeZone ?? CronPlan.DefaultTimeZone,
            Missed = missed,
            Paused = request.Paused ?? false,
            Job = spec,
        };
    }

    public static CronScheduleView ToView(CronScheduleInfo info, int next, DateTimeOffset now)
    {
        var schedule = info.Schedule;
        var plan = CronPlan.TryParse(schedule.Expression, schedule.TimeZone, out _);
        return new CronScheduleView
        {
            Name = schedule.Name,
            Expression = schedule.Expression,
            TimeZone = schedule.TimeZone,
            Missed = ToName(schedule.Missed),
            Paused = schedule.Paused,
            Job = ToRequest(schedule.Job),
            CreatedAt = info.CreatedAt,
            UpdatedAt = info.UpdatedAt,
            LastTick = info.LastTick,
            Next = schedule.Paused || plan is null ? [] : plan.Next(now, Math.Clamp(next, 1, MaxNext)),
        };
    }

    /// <summary>The job template as the wire takes it (defaults left out).</summary>
    public static EnqueueRequest ToRequest(JobSpec job) => new()
    {
        Queue = job.Queue,
        Type = job.Type,
        Args = new RawJson(job.Args),
        Priority = job.Priority == JobDefaults.Priority ? null : job.Priority,
        MaxAttempts = job.MaxAttempts == JobDefaults.MaxAttempts ? null : job.MaxAttempts,
        Dead = job.Dead ? null : false,
        LeaseSeconds = job.LeaseSeconds == JobDefaults.LeaseSeconds ? null : job.LeaseSeconds,
        Tags = job.Tags.Count == 0 ? null : job.Tags,
        Meta = job.Meta.Count == 0 ? null : job.Meta,
        Backoff = job.Backoff == Core.Retry.Backoff.Exponential ? null : job.Backoff.ToString(),
    };
}
