using Conveyor.Storage.Embedded.Events;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>Deletes a schedule; false when unknown.</summary>
internal sealed class CronDeleteOperation(string name) : StoreOperation<bool>
{
    protected override bool Run(OperationContext context)
    {
        if (context.Table.Cron.Find(name) is null)
        {
            return false;
        }

        context.Emit(new CronDeleted(name));
        return true;
    }
}
