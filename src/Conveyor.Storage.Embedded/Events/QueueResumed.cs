namespace Conveyor.Storage.Embedded.Events;

/// <summary>A queue gives out jobs again.</summary>
internal sealed record QueueResumed(string Name) : StoreEvent
{
    public override RecordType Type => RecordType.QueueResumed;
}
