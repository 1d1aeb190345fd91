namespace Conveyor.Storage.Embedded.Events;

/// <summary>An operator made a dead or retrying job available.</summary>
internal sealed record JobRetried(string Id, long At) : StoreEvent
{
    public override RecordType Type => RecordType.JobRetried;
}
