using Conveyor.Core.Cron;
using Conveyor.Storage.Embedded.Events;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>Pauses or resumes a schedule (a <see cref="CronSaved"/> with the flag changed); null when unknown.</summary>
internal sealed class CronPauseOperation(string name, bool paused) : StoreOperation<CronScheduleInfo?>
{
    protected override CronScheduleInfo? Run(OperationContext context)
    {
        var entry = context.Table.Cron.Find(name);
        if (entry is null)
        {
            return null;
        }

        if (entry.Schedule.Paused != paused)
        {
            context.Emit(new CronSaved(entry.Schedule with { Paused = paused }, context.Now));
        }

        return entry.ToInfo();
    }
}
