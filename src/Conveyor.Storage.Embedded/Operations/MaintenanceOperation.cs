using Conveyor.Core.Jobs;
using Conveyor.Storage.Embedded.Events;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>
/// One of the time-driven transitions: promote due jobs, expire leases, prune finished jobs; at most <paramref name="max"/>
/// jobs, so that a million jobs coming due (or finishing) at once do not stop the writer for one huge record.
/// </summary>
internal sealed class MaintenanceOperation(JobOperation operation, int max) : StoreOperation<int>
{
    // Checked when the command is made, on the caller's thread, not when the writer loop runs it.
    private readonly int max = max >= 1 ? max : throw new ArgumentOutOfRangeException(nameof(max), max, "at least one job per write");

    protected override int Run(OperationContext context)
    {
        switch (operation)
        {
            case JobOperation.Promote:
                return context.PromoteDue(max);
            case JobOperation.ExpireLease:
                var expired = context.Table.TakeExpiredLeases(context.Now, max);
                if (expired.Count > 0)
                {
                    context.Emit(new JobsSettled(context.Now, [.. expired.Select(job => job.LeaseEndsAtDeadline
                        ? SettleOperation.Failed(context, job, JobFailure.TimeoutType, $"attempt ran past its timeout of {job.TimeoutSeconds} s", [], null)
                        : SettleOperation.Failed(context, job, JobFailure.LeaseExpiredType, $"lease of {job.LeaseSeconds} s expired", [], null))]));
                }

                return expired.Count;
            case JobOperation.Prune:
                var prunable = context.Table.TakePrunable(context.Now, context.Settings.Retention, max);
                if (prunable.Count > 0)
                {
                    var keys = new JobKey[prunable.Count];
                    for (var i = 0; i < keys.Length; i++)
                    {
                        keys[i] = prunable[i].Key;
                    }

                    context.Emit(new JobsPruned(keys) { Entries = prunable });
                }

                return prunable.Count;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, "not a maintenance operation");
        }
    }
}
