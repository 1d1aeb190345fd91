using Conveyor.Core.Jobs;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>An operator made a dead or retrying job available.</summary>
internal sealed record JobRetried(JobKey Id, long At) : StoreEvent
{
    public override RecordType Type => RecordType.JobRetried;
}
