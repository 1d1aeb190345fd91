using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>Finished jobs removed by retention.</summary>
internal sealed record JobsPruned(JobKey[] Ids) : StoreEvent
{
    public override RecordType Type => RecordType.JobsPruned;
}
