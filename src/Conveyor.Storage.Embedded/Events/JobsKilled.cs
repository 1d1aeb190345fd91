namespace Conveyor.Storage.Embedded.Events;

/// <summary>An operator sent scheduled or retrying jobs straight to dead at <paramref name="At"/>.</summary>
internal sealed record JobsKilled(long At, string[] Ids) : StoreEvent
{
    public override RecordType Type => RecordType.JobsKilled;
}
