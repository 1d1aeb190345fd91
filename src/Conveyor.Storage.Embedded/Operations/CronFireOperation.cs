using Conveyor.Core.Cron;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>
/// Fires the due schedules, at most <c>max</c>: per schedule the tick's <see cref="JobsEnqueued"/> then its
/// <see cref="CronFired"/>, both in this batch's flush, so recovery sees both or neither. A tick whose unique key is
/// still held (a second guard) records the tick without a second job; a full store fires nothing and tries again later.
/// </summary>
internal sealed class CronFireOperation(int max) : StoreOperation<int>
{
    protected override int Run(OperationContext context)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var now = Ticks.ToTime(context.Now);
        var fired = 0;
        foreach (var entry in context.Table.Cron.All)
        {
            if (fired == max)
            {
                break;
            }

            if (entry.Schedule.Paused || entry.Plan is not { } plan)
            {
                continue;
            }

            if (entry.NextDue == 0)
            {
                entry.NextDue = plan.NextAfter(Ticks.ToTime(entry.After))?.UtcTicks ?? long.MaxValue;
            }

            if (entry.NextDue > context.Now)
            {
                continue;
            }

            var tick = CronDue.TickToFire(plan, entry.Schedule.Missed, Ticks.ToTime(entry.After), Ticks.ToTime(context.OpenedAt), now);
            if (tick is null)
            {
                // Skipped while the store was down: wait for the next tick.
                entry.NextDue = plan.NextAfter(now)?.UtcTicks ?? long.MaxValue;
                continue;
            }

            var job = CronTicks.JobFor(entry.Schedule, tick.Value);
            if (EnqueueOperation.EnqueueWithin(context, new JobEnqueue([job])).Status == EnqueueStatus.StorageFull)
            {
                continue;
            }

            context.Emit(new CronFired(entry.Schedule.Name, tick.Value.UtcTicks, context.Now));
            fired++;
        }

        return fired;
    }
}
