using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Events;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>Records the progress of the attempt held by the given token; a stale token changes nothing.</summary>
internal sealed class ProgressOperation(JobProgressReport request) : StoreOperation<SettleStatus>
{
    protected override SettleStatus Run(OperationContext context)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(request.Percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.Percent, JobProgress.MaxPercent);
        var (status, job) = context.Table.CheckLease(request.Id, request.Token);
        if (status == SettleStatus.Ok)
        {
            context.Emit(new JobProgressed(job!.Key, context.Now, request.Percent, request.Message));
        }

        return status;
    }
}
