namespace Conveyor.Storage.Embedded.Events;

/// <summary>Jobs fetched by one worker at <paramref name="At"/>.</summary>
internal sealed record JobsLeased(long At, string? WorkerId, LeaseGrant[] Leases) : StoreEvent
{
    public override RecordType Type => RecordType.JobsLeased;
}
