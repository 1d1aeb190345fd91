namespace Conveyor.Storage.Embedded.Events;

/// <summary>Acks, fails and lease expiries decided together at <paramref name="At"/>.</summary>
internal sealed record JobsSettled(long At, SettledJob[] Jobs) : StoreEvent
{
    public override RecordType Type => RecordType.JobsSettled;
}
