namespace Conveyor.Storage.Embedded.Events;

/// <summary>A heartbeat moved the lease's end.</summary>
internal sealed record LeaseExtended(string Id, long ExpiresAt) : StoreEvent
{
    public override RecordType Type => RecordType.LeaseExtended;
}
