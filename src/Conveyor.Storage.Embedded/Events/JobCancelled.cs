using Conveyor.Core.Jobs;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>A job was cancelled.</summary>
internal sealed record JobCancelled(JobKey Id, long At) : StoreEvent
{
    public override RecordType Type => RecordType.JobCancelled;
}
