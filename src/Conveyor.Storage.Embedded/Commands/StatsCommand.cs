using Conveyor.Core.Storage;

namespace Conveyor.Storage.Embedded.Commands;

/// <summary>Counts per state and lifetime totals from the table, with the writer's WAL and snapshot counters.</summary>
internal sealed class StatsCommand : StoreCommand<StoreStats>
{
    public override bool IsWrite => false;

    protected override StoreStats Run(CommandContext context) => context.Table.Stats() with { Storage = context.Counters?.Invoke() };
}
