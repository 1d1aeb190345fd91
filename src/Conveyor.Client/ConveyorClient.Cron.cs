using System.Globalization;
using Conveyor.Contracts.Cron;
using Conveyor.Contracts.Json;

namespace Conveyor.Client;

/// <summary>Schedules (periodic jobs): <c>/v1/cron</c>.</summary>
public sealed partial class ConveyorClient
{
    /// <inheritdoc />
    public async Task<CronScheduleView> SetScheduleAsync(string name, CronScheduleRequest schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var view = await transport.SendAsync(HttpMethod.Put, SchedulePath(name), schedule, ConveyorJsonContext.Default.CronScheduleRequest,
            ConveyorJsonContext.Default.CronScheduleView, NoExtraTime, notFoundIsNull: false, cancellationToken).ConfigureAwait(false);
        return view!;
    }

    /// <inheritdoc />
    public Task<CronScheduleView?> GetScheduleAsync(string name, int next = 1, CancellationToken cancellationToken = default) =>
        transport.SendAsync<object, CronScheduleView>(HttpMethod.Get, SchedulePath(name) + NextQuery(next), null, null,
            ConveyorJsonContext.Default.CronScheduleView, NoExtraTime, notFoundIsNull: true, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<CronScheduleView>> ListSchedulesAsync(int next = 1, CancellationToken cancellationToken = default)
    {
        var response = await transport.SendAsync<object, CronListResponse>(HttpMethod.Get, "v1/cron" + NextQuery(next), null, null,
            ConveyorJsonContext.Default.CronListResponse, NoExtraTime, notFoundIsNull: false, cancellationToken).ConfigureAwait(false);
        return response!.Schedules;
    }

    /// <inheritdoc />
    public Task DeleteScheduleAsync(string name, CancellationToken cancellationToken = default) =>
        transport.SendAsync<object, object>(HttpMethod.Delete, SchedulePath(name), null, null, null, NoExtraTime, notFoundIsNull: false, cancellationToken);

    /// <inheritdoc />
    public Task<CronScheduleView> PauseScheduleAsync(string name, CancellationToken cancellationToken = default) =>
        PostScheduleAsync(name, "/pause", cancellationToken);

    /// <inheritdoc />
    public Task<CronScheduleView> ResumeScheduleAsync(string name, CancellationToken cancellationToken = default) =>
        PostScheduleAsync(name, "/resume", cancellationToken);

    private async Task<CronScheduleView> PostScheduleAsync(string name, string verb, CancellationToken cancellationToken)
    {
        var view = await transport.SendAsync<object, CronScheduleView>(HttpMethod.Post, SchedulePath(name) + verb, null, null,
            ConveyorJsonContext.Default.CronScheduleView, NoExtraTime, notFoundIsNull: false, cancellationToken).ConfigureAwait(false);
        return view!;
    }

    private static string SchedulePath(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return "v1/cron/" + Uri.EscapeDataString(name);
    }

    private static string NextQuery(int next) => next == 1 ? "" : "?next=" + next.ToString(CultureInfo.InvariantCulture);
}
