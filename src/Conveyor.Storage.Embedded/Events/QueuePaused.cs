namespace Conveyor.Storage.Embedded.Events;

/// <summary>A queue stopped giving out jobs.</summary>
internal sealed record QueuePaused(string Name) : StoreEvent
{
    public override RecordType Type => RecordType.QueuePaused;
}
