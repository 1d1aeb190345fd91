namespace Conveyor.Storage.Embedded.Events;

/// <summary>A schedule deleted (the jobs it enqueued stay).</summary>
internal sealed record CronDeleted(string Name) : StoreEvent
{
    public override RecordType Type => RecordType.CronDeleted;
}
