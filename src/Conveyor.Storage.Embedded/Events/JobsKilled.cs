using Conveyor.Core.Jobs;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>An operator sent scheduled or retrying jobs straight to dead at <paramref name="At"/>.</summary>
internal sealed record JobsKilled(long At, JobKey[] Ids) : StoreEvent
{
    public override RecordType Type => RecordType.JobsKilled;
}
