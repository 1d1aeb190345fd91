using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>Due scheduled or retrying jobs became available.</summary>
internal sealed record JobsPromoted(long At, JobKey[] Ids) : StoreEvent
{
    public override RecordType Type => RecordType.JobsPromoted;
}
