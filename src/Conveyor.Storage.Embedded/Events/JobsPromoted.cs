using Conveyor.Core.Jobs;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>Due scheduled or retrying jobs became available.</summary>
internal sealed record JobsPromoted(long At, JobKey[] Ids) : StoreEvent
{
    public override RecordType Type => RecordType.JobsPromoted;
}
