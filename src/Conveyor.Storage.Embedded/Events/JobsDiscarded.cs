using Conveyor.Core.Jobs;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>An operator deleted jobs that were not active.</summary>
internal sealed record JobsDiscarded(JobKey[] Ids) : StoreEvent
{
    public override RecordType Type => RecordType.JobsDiscarded;
}
