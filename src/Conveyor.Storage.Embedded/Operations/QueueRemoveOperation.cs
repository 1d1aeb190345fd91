using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Events;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>Deletes a queue if it is known, has no live job and is not paused; one <see cref="QueueRemoved"/> record.</summary>
internal sealed class QueueRemoveOperation(string name) : StoreOperation<QueueRemoveStatus>
{
    protected override QueueRemoveStatus Run(OperationContext context)
    {
        switch (context.Table.FindQueue(name))
        {
            case null:
                return QueueRemoveStatus.NotFound;
            case { Paused: true }:
                return QueueRemoveStatus.Paused;
            case { Available: 0, Scheduled: 0, Retrying: 0, Active: 0 }:
                context.Emit(new QueueRemoved(name));
                return QueueRemoveStatus.Removed;
            default:
                return QueueRemoveStatus.NotEmpty;
        }
    }
}
