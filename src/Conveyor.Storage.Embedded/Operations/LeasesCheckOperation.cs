using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>Reports the leases named that are no longer held, and why; a read, so it emits nothing.</summary>
internal sealed class LeasesCheckOperation(LeasesCheck request) : StoreOperation<IReadOnlyList<LostLease>>
{
    public override bool IsWrite => false;

    protected override IReadOnlyList<LostLease> Run(OperationContext context)
    {
        var table = context.Table;
        List<LostLease>? lost = null;
        foreach (var lease in request.Leases)
        {
            var (status, job) = table.CheckLease(lease.Id, lease.Token);
            if (status == SettleStatus.Ok)
            {
                continue;
            }

            var loss = job is null ? LeaseLoss.Unknown : job.State == JobState.Cancelled ? LeaseLoss.Cancelled : LeaseLoss.Lost;
            (lost ??= []).Add(new LostLease(lease.Id, lease.Token, loss));
        }

        return lost is null ? [] : lost;
    }
}
