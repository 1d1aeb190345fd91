using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>A heartbeat moved the lease's end.</summary>
internal sealed record LeaseExtended(JobKey Id, long ExpiresAt) : StoreEvent
{
    public override RecordType Type => RecordType.LeaseExtended;
}
