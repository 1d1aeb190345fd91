using System.Text.Json.Serialization;
using Conveyor.Contracts.Jobs;

namespace Conveyor.Contracts.Cron;

/// <summary>
/// A schedule as an operator sends it (<c>PUT /v1/cron/{name}</c>, and each entry of a cron file). Required:
/// <see cref="Expression"/> and <see cref="Job"/> (with its <c>type</c>).
/// </summary>
public sealed record CronScheduleRequest
{
    /// <summary>The schedule's name: required in a cron file; in a PUT the path gives it (a different name here is refused).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    /// <summary>A cron expression: 5 fields (minute hour day month weekday) or 6 (seconds first).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Expression { get; set; }

    /// <summary>The IANA time zone the expression is read in (default <c>UTC</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TimeZone { get; set; }

    /// <summary><c>fire_once</c> (default: after downtime the latest missed tick fires once) or <c>skip</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Missed { get; set; }

    /// <summary>Whether the schedule is paused (default false).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Paused { get; set; }

    /// <summary>The job each tick enqueues, as <c>POST /v1/jobs</c> takes it, without <c>id</c>, <c>run_at</c>, <c>delay_ms</c> or <c>unique_key</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EnqueueRequest? Job { get; set; }
}
