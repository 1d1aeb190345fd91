using Conveyor.Core.Jobs;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>An active job's worker reported its progress at <paramref name="At"/>.</summary>
internal sealed record JobProgressed(JobKey Id, long At, int Percent, string? Message) : StoreEvent
{
    public override RecordType Type => RecordType.JobProgressed;
}
