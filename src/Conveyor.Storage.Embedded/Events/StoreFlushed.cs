namespace Conveyor.Storage.Embedded.Events;

/// <summary>Every job and every queue was removed at <paramref name="At"/> (Faktory's <c>FLUSH</c>).</summary>
internal sealed record StoreFlushed(long At) : StoreEvent
{
    public override RecordType Type => RecordType.StoreFlushed;
}
