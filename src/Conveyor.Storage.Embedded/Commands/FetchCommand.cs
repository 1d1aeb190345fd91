using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Commands;

/// <summary>Leases up to Max jobs: queues in the order given, priority, then FIFO.</summary>
internal sealed class FetchCommand(JobFetch request) : StoreCommand<IReadOnlyList<JobInfo>>
{
    protected override IReadOnlyList<JobInfo> Run(CommandContext context)
    {
        context.PromoteDue();
        var table = context.Table;
        List<JobEntry> picked = [];
        foreach (var name in request.Queues)
        {
            if (table.FindQueue(name) is not { Paused: false, Available: > 0 } queue)
            {
                continue;
            }

            foreach (var job in queue.InFetchOrder())
            {
                if (picked.Count == request.Max)
                {
                    break;
                }

                picked.Add(job);
            }

            if (picked.Count == request.Max)
            {
                break;
            }
        }

        if (picked.Count == 0)
        {
            return [];
        }

        var grants = new LeaseGrant[picked.Count];
        var token = table.LastLeaseToken;
        for (var i = 0; i < picked.Count; i++)
        {
            var job = picked[i];
            grants[i] = new LeaseGrant(job.Id, ++token, context.Now + TimeSpan.FromSeconds(job.LeaseSeconds).Ticks);
        }

        context.Emit(new JobsLeased(context.Now, request.WorkerId, grants));
        var leased = new JobInfo[picked.Count];
        for (var i = 0; i < picked.Count; i++)
        {
            leased[i] = JobTable.ToInfo(picked[i]);
        }

        return leased;
    }
}
