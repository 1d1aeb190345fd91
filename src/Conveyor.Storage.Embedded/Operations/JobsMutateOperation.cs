using Conveyor.Core.Jobs;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>
/// An operator command over many jobs (kill, discard, requeue) as one record. Ids that are unknown, named
/// twice or not in a state the transition table allows are skipped; the result is how many moved.
/// </summary>
internal sealed class JobsMutateOperation(IReadOnlyList<string> ids, JobOperation operation) : StoreOperation<int>
{
    protected override int Run(OperationContext context)
    {
        List<JobKey> moved = [];
        HashSet<JobEntry> seen = new(ReferenceEqualityComparer.Instance);
        foreach (var id in ids)
        {
            if (context.Table.Find(id) is { } job && JobTransitions.IsLegal(job.State, operation) && seen.Add(job))
            {
                moved.Add(job.Key);
                if (operation == JobOperation.Requeue)
                {
                    context.NotifyAvailable(job.Queue.Name);
                }
            }
        }

        if (moved.Count == 0)
        {
            return 0;
        }

        context.Emit(operation switch
        {
            JobOperation.Kill => new JobsKilled(context.Now, [.. moved]),
            JobOperation.Discard => new JobsDiscarded([.. moved]),
            JobOperation.Requeue => new JobsRequeued(context.Now, [.. moved]),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "not a bulk operator command"),
        });
        return moved.Count;
    }
}
