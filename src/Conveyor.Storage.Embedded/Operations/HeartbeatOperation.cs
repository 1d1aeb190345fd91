using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>Extends the lease held by the given token.</summary>
internal sealed class HeartbeatOperation(JobHeartbeat request) : StoreOperation<HeartbeatResult>
{
    protected override HeartbeatResult Run(OperationContext context)
    {
        var (status, job) = context.Table.CheckLease(request.Id, request.Token);
        if (status != SettleStatus.Ok)
        {
            return new HeartbeatResult(status, null);
        }

        var leased = job!;
        var extend = request.Extend ?? TimeSpan.FromSeconds(leased.LeaseSeconds);
        var expiresAt = context.Now + extend.Ticks;
        if (leased.AttemptDeadline != 0)
        {
            // A heartbeat keeps a job with a timeout alive no longer than the attempt may run.
            expiresAt = Math.Min(expiresAt, leased.AttemptDeadline);
        }

        context.Emit(new LeaseExtended(leased.Key, expiresAt));
        return new HeartbeatResult(SettleStatus.Ok, Ticks.ToTime(expiresAt));
    }
}
