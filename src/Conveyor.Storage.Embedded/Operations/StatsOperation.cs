using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>Counts per state and lifetime totals from the table, with the writer's WAL and snapshot counters.</summary>
internal sealed class StatsOperation : StoreOperation<StoreStats>
{
    public override bool IsWrite => false;

    protected override StoreStats Run(OperationContext context) => JobViews.Stats(context.Table) with
    {
        Storage = context.Counters?.Invoke(),
        Memory = new StoreMemory(context.Table.HeldBytes, context.MemoryBudget),
    };
}
