using Conveyor.Client;
using Conveyor.Contracts.Cron;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conveyor.Samples.Worker;

/// <summary>
/// Registers the <c>daily-digest</c> schedule when the worker starts: every day at 08:00 in London, one
/// <see cref="DailyDigest"/> job. Setting the same schedule again on every start changes nothing on the server.
/// </summary>
public sealed partial class DigestSchedule(IConveyorClient conveyor, ILogger<DigestSchedule> logger) : IHostedService
{
    /// <summary>The schedule's name.</summary>
    public const string Name = "daily-digest";

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var schedule = await conveyor.SetScheduleAsync(Name, new CronScheduleRequest
            {
                Expression = "0 8 * * *",
                TimeZone = "Europe/London",
                Job = new EnqueueRequest { Type = "digest.daily", Queue = "reports", Args = RawJson.FromString("""{"audience":"everyone"}""") },
            }, cancellationToken).ConfigureAwait(false);
            Registered(Name, schedule.Next.Count > 0 ? schedule.Next[0] : null);
        }
        catch (Exception ex) when (ex is HttpRequestException or ConveyorApiException or TaskCanceledException)
        {
            // The worker still runs its handlers; the schedule is registered on the next start.
            NotRegistered(ex, Name);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(3, LogLevel.Information, "Schedule {Name} registered; next tick {Next}")]
    private partial void Registered(string name, DateTimeOffset? next);

    [LoggerMessage(4, LogLevel.Warning, "Schedule {Name} could not be registered")]
    private partial void NotRegistered(Exception exception, string name);
}
