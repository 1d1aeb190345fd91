namespace Conveyor.Storage.Embedded.Events;

/// <summary>Finished jobs removed by retention.</summary>
internal sealed record JobsPruned(string[] Ids) : StoreEvent
{
    public override RecordType Type => RecordType.JobsPruned;
}
