namespace Conveyor.Contracts.Cron;

/// <summary>Every schedule, by name (<c>GET /v1/cron</c>).</summary>
public sealed record CronListResponse(IReadOnlyList<CronScheduleView> Schedules);
