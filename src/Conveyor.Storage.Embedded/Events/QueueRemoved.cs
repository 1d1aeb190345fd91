namespace Conveyor.Storage.Embedded.Events;

/// <summary>An empty, unpaused queue was deleted (its finished jobs stay, under its name).</summary>
internal sealed record QueueRemoved(string Name) : StoreEvent
{
    public override RecordType Type => RecordType.QueueRemoved;
}
