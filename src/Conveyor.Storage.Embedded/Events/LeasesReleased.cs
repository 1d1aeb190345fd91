using Conveyor.Core.Jobs;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>
/// Leases whose fetch answer never reached the worker, handed back at <paramref name="At"/>: each job available again,
/// its attempt not counted.
/// </summary>
internal sealed record LeasesReleased(long At, JobKey[] Ids) : StoreEvent
{
    public override RecordType Type => RecordType.LeasesReleased;
}
