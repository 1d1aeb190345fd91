namespace Conveyor.Storage.Embedded.Events;

/// <summary>A batch of new jobs, created at <paramref name="At"/>.</summary>
internal sealed record JobsEnqueued(long At, NewJob[] Jobs) : StoreEvent
{
    public override RecordType Type => RecordType.JobsEnqueued;
}
