using Conveyor.Core.Jobs;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>An operator made scheduled, retrying or dead jobs available at <paramref name="At"/>.</summary>
internal sealed record JobsRequeued(long At, JobKey[] Ids) : StoreEvent
{
    public override RecordType Type => RecordType.JobsRequeued;
}
