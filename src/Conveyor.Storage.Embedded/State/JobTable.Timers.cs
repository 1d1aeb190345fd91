using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;

namespace Conveyor.Storage.Embedded.State;

/// <summary>
/// Finding the jobs whose time came: due scheduled/retrying jobs, expired leases, finished jobs past
/// retention. Each pops its lazy index up to <c>now</c>; the caller must apply an event for every job
/// returned (the popped entries are gone).
/// </summary>
internal sealed partial class JobTable
{
    public List<JobEntry> TakeDue(long now)
    {
        List<JobEntry> result = [];
        while (due.TryPeek(out var job, out var runAt) && runAt <= now)
        {
            due.Dequeue();
            if (!job.Removed && job.State is JobState.Scheduled or JobState.Retrying && job.RunAt == runAt)
            {
                result.Add(job);
            }
        }

        return result;
    }

    public List<JobEntry> TakeExpiredLeases(long now)
    {
        List<JobEntry> result = [];
        while (leases.TryPeek(out var entry, out var expiresAt) && expiresAt <= now)
        {
            leases.Dequeue();
            var job = entry.Job;
            if (!job.Removed && job.State == JobState.Active && job.LeaseToken == entry.Token && job.LeaseExpiresAt == expiresAt)
            {
                result.Add(job);
            }
        }

        return result;
    }

    public List<JobEntry> TakePrunable(long now, RetentionPolicy retention)
    {
        List<JobEntry> result = [];
        TakePrunable(JobState.Completed, now - retention.Completed.Ticks, retention.CompletedCap, result);
        TakePrunable(JobState.Cancelled, now - retention.Completed.Ticks, retention.CompletedCap, result);
        TakePrunable(JobState.Dead, now - retention.Dead.Ticks, retention.DeadCap, result);
        return result;
    }

    private void TakePrunable(JobState state, long finishedBefore, int cap, List<JobEntry> result)
    {
        var queue = finished[state];
        var keep = CountIn(state);
        while (queue.TryPeek(out var entry))
        {
            var job = entry.Job;
            var live = !job.Removed && job.State == state && job.FinishedAt == entry.FinishedAt;
            if (live && entry.FinishedAt > finishedBefore && keep <= cap)
            {
                return;
            }

            queue.Dequeue();
            if (live)
            {
                result.Add(job);
                keep--;
            }
        }
    }
}
