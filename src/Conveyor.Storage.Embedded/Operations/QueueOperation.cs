using Conveyor.Core.Jobs;
using Conveyor.Storage.Embedded.Events;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>Pause, resume or purge a queue; the result is the number of jobs purged (0 otherwise).</summary>
internal sealed class QueueOperation(string name, QueueAction action) : StoreOperation<int>
{
    protected override int Run(OperationContext context)
    {
        var queue = context.Table.FindQueue(name);
        switch (action)
        {
            case QueueAction.Pause when queue is not { Paused: true }:
                context.Emit(new QueuePaused(name));
                return 0;
            case QueueAction.Resume when queue is null || queue.Paused:
                context.Emit(new QueueResumed(name));
                if (queue is { Available: > 0 })
                {
                    context.NotifyAvailable(name);
                }

                return 0;
            case QueueAction.Purge:
                JobKey[] ids = queue is null ? [] : [.. queue.InFetchOrder().Select(j => j.Key)];
                if (queue is null || ids.Length > 0)
                {
                    context.Emit(new QueuePurged(name, ids));
                }

                return ids.Length;
            default:
                return 0;
        }
    }
}
