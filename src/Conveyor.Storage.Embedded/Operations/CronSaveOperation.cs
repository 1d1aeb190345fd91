using Conveyor.Core.Cron;
using Conveyor.Storage.Embedded.Events;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>Creates or replaces a schedule; saving the definition it already has writes nothing.</summary>
internal sealed class CronSaveOperation(CronSchedule schedule) : StoreOperation<CronScheduleInfo>
{
    protected override CronScheduleInfo Run(OperationContext context)
    {
        var existing = context.Table.Cron.Find(schedule.Name);
        if (existing is null || !CronCodec.SameDefinition(existing.Schedule, schedule))
        {
            context.Emit(new CronSaved(schedule, context.Now));
        }

        return context.Table.Cron.Find(schedule.Name)!.ToInfo();
    }
}
