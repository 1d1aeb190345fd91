using Conveyor.Storage.Embedded.Events;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>
/// Removes every job and queue in one record, whatever their number: applying it drops the table's indexes without
/// visiting the jobs, so it takes the same short time for ten jobs or ten million. The result is how many jobs went.
/// </summary>
internal sealed class FlushOperation : StoreOperation<int>
{
    protected override int Run(OperationContext context)
    {
        var removed = context.Table.JobCount;
        if (removed > 0 || context.Table.Queues.Count > 0)
        {
            context.Emit(new StoreFlushed(context.Now));
        }

        return removed;
    }
}
