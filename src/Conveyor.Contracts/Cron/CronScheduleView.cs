using Conveyor.Contracts.Jobs;

namespace Conveyor.Contracts.Cron;

/// <summary>A schedule as the server holds it (<c>GET /v1/cron/{name}</c>).</summary>
public sealed record CronScheduleView
{
    /// <summary>The schedule's name.</summary>
    public required string Name { get; set; }

    /// <summary>The cron expression.</summary>
    public required string Expression { get; set; }

    /// <summary>The IANA time zone.</summary>
    public required string TimeZone { get; set; }

    /// <summary><c>fire_once</c> or <c>skip</c>.</summary>
    public required string Missed { get; set; }

    /// <summary>Whether it is paused.</summary>
    public bool Paused { get; set; }

    /// <summary>The job each tick enqueues.</summary>
    public required EnqueueRequest Job { get; set; }

    /// <summary>When it was first saved.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it was last saved, paused or resumed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The last tick it fired (the occurrence's time), null before its first.</summary>
    public DateTimeOffset? LastTick { get; set; }

    /// <summary>The next fire times, in UTC (empty while paused, or when the expression has no future tick).</summary>
    public IReadOnlyList<DateTimeOffset> Next { get; set; } = [];
}
