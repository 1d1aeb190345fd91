using Conveyor.Core.Jobs;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>A heartbeat moved the lease's end.</summary>
internal sealed record LeaseExtended(JobKey Id, long ExpiresAt) : StoreEvent
{
    public override RecordType Type => RecordType.LeaseExtended;
}
