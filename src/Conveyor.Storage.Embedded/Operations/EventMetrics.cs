using Conveyor.Core.Jobs;
using Conveyor.Core.Telemetry;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>
/// Feeds <see cref="JobMetrics"/> from the events live commands emit (replay never passes here), before they are
/// applied, while each entry still shows where it was. Runs of jobs with the same queue and type are added at once:
/// a batch of a thousand mostly has one.
/// </summary>
internal static class EventMetrics
{
    public static void Observe(StoreEvent e, long now)
    {
        if (!JobMetrics.Enabled)
        {
            return;
        }

        switch (e)
        {
            case JobsEnqueued { Entries: { } entries }:
                CountRuns(entries, static job => job, static (queue, type, n) => JobMetrics.Enqueued(queue, type, n));
                break;
            case JobsLeased leased:
                foreach (var grant in leased.Leases)
                {
                    if (grant.Entry is { } job)
                    {
                        JobMetrics.PickedUp(job.Queue.Name, TimeSpan.FromTicks(now - Math.Max(job.AvailableAt, job.CreatedAt)));
                    }
                }

                break;
            case JobsSettled settled:
                Settled(settled.Jobs, now);
                break;
        }
    }

    private static void Settled(SettledJob[] jobs, long now)
    {
        var completed = 0;
        foreach (var settled in jobs)
        {
            if (settled.Entry is not { } job)
            {
                continue;
            }

            // An active job's AvailableAt is when it was leased; an expiry measures the lease, not a run.
            if (job.State == JobState.Active && job.AvailableAt != 0 && settled.Failure?.ErrorType != JobFailure.LeaseExpiredType)
            {
                JobMetrics.Ran(job.Queue.Name, job.Type, TimeSpan.FromTicks(now - job.AvailableAt));
            }

            if (settled.Next == JobState.Completed)
            {
                completed++;
                continue;
            }

            JobMetrics.Failed(job.Queue.Name, job.Type, dead: settled.Next == JobState.Dead);
            if (settled.Failure?.ErrorType == JobFailure.LeaseExpiredType)
            {
                JobMetrics.LeaseExpired(job.Queue.Name);
            }
        }

        if (completed > 0)
        {
            CountRuns(jobs, static settled => settled.Next == JobState.Completed ? settled.Entry : null, static (queue, type, n) => JobMetrics.Completed(queue, type, n));
        }
    }

    private static void CountRuns<T>(T[] items, Func<T, JobEntry?> entryOf, Action<string, string, int> add)
    {
        string? queue = null, type = null;
        var run = 0;
        foreach (var item in items)
        {
            if (entryOf(item) is not { } job)
            {
                continue;
            }

            if (run > 0 && ReferenceEquals(job.Queue.Name, queue) && string.Equals(job.Type, type, StringComparison.Ordinal))
            {
                run++;
                continue;
            }

            if (run > 0)
            {
                add(queue!, type!, run);
            }

            (queue, type, run) = (job.Queue.Name, job.Type, 1);
        }

        if (run > 0)
        {
            add(queue!, type!, run);
        }
    }
}
