using Conveyor.Core.Jobs;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>A queue's available jobs were removed.</summary>
internal sealed record QueuePurged(string Name, JobKey[] Ids) : StoreEvent
{
    public override RecordType Type => RecordType.QueuePurged;
}
