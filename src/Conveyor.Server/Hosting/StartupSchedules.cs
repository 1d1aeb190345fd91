using Conveyor.Core.Cron;

namespace Conveyor.Server.Hosting;

/// <summary>The schedules the server saves once its store is open (the cron file's, and any given in code), before it is ready.</summary>
internal sealed record StartupSchedules(IReadOnlyList<CronSchedule> Schedules);
