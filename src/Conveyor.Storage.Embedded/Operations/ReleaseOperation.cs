using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>
/// Hands back, as one record, the leases a fetch could not deliver: each job still held by its token goes back to
/// available (the end of its priority, as a requeue) with its attempt not counted; stale or unknown ones are skipped.
/// </summary>
internal sealed class ReleaseOperation(LeasesRelease request) : StoreOperation<int>
{
    protected override int Run(OperationContext context)
    {
        List<JobKey> released = [];
        HashSet<JobEntry> seen = new(ReferenceEqualityComparer.Instance);
        foreach (var lease in request.Leases)
        {
            if (context.Table.CheckLease(lease.Id, lease.Token) is (SettleStatus.Ok, { } job) && seen.Add(job))
            {
                released.Add(job.Key);
                context.NotifyAvailable(job.Queue.Name);
            }
        }

        if (released.Count > 0)
        {
            context.Emit(new LeasesReleased(context.Now, [.. released]));
        }

        return released.Count;
    }
}
