using Conveyor.Core.Cron;
using Conveyor.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Conveyor.Broker;

/// <summary>Schedules (periodic jobs): their management, and firing them, which only maintenance does.</summary>
public sealed partial class JobBroker
{
    /// <summary>Validates and creates or replaces a schedule; an invalid one is a <see cref="RequestRejectedException"/> naming the field.</summary>
    public ValueTask<CronScheduleInfo> SaveScheduleAsync(CronSchedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (CronScheduleValidator.Validate(schedule) is { } error)
        {
            throw new RequestRejectedException(error.Field, error.Message, tooLarge: error.TooLarge);
        }

        return store.CronSaveAsync(new CronSave(schedule), cancellationToken);
    }

    /// <summary>One schedule, or null.</summary>
    public ValueTask<CronScheduleInfo?> GetScheduleAsync(string name, CancellationToken cancellationToken = default) =>
        store.CronGetAsync(new CronGet(CheckScheduleName(name)), cancellationToken);

    /// <summary>Every schedule, by name.</summary>
    public ValueTask<IReadOnlyList<CronScheduleInfo>> ListSchedulesAsync(CancellationToken cancellationToken = default) =>
        store.CronListAsync(cancellationToken);

    /// <summary>Deletes a schedule; false when unknown.</summary>
    public ValueTask<bool> DeleteScheduleAsync(string name, CancellationToken cancellationToken = default) =>
        store.CronDeleteAsync(new CronDelete(CheckScheduleName(name)), cancellationToken);

    /// <summary>Pauses or resumes a schedule; null when unknown.</summary>
    public ValueTask<CronScheduleInfo?> PauseScheduleAsync(string name, bool paused, CancellationToken cancellationToken = default) =>
        store.CronPauseAsync(new CronPause(CheckScheduleName(name), paused), cancellationToken);

    /// <summary>
    /// Fires the due schedules (one place, so a store with several servers can let only its leader fire:
    /// <see cref="BrokerOptions.FireSchedules"/>); returns how many ticks fired.
    /// </summary>
    private async ValueTask<int> FireSchedulesAsync(CancellationToken cancellationToken)
    {
        if (!Options.FireSchedules)
        {
            return 0;
        }

        var max = Options.MaintenanceBatch;
        var fired = await RepeatAsync(() => store.CronFireDueAsync(new CronFireDue(max), cancellationToken), max).ConfigureAwait(false);
        if (fired > 0)
        {
            LogSchedulesFired(fired);
        }

        return fired;
    }

    private static string CheckScheduleName(string name) =>
        CronScheduleValidator.ValidateName(name) is { } error ? throw new RequestRejectedException(error.Field, error.Message, tooLarge: error.TooLarge) : name;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Schedules fired {Fired} ticks")]
    private partial void LogSchedulesFired(int fired);
}
