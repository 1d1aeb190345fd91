using System.Runtime.CompilerServices;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;

namespace Conveyor.Storage.Embedded.State;

/// <summary>
/// Finished jobs of each terminal state in the order they finished, for pruning oldest first. Intrusive lists: a
/// million finished jobs cost no index memory, and a job leaves its list when it leaves the state; the jobs offered
/// for pruning stay in their list until the prune is applied. A struct held in a field of <see cref="JobTable"/> (never
/// copied), so that every ack reaches its list as directly as before this had a type of its own.
/// </summary>
internal readonly struct FinishedJobs()
{
    private readonly JobFifo completed = new();
    private readonly JobFifo dead = new();
    private readonly JobFifo cancelled = new();

    /// <summary>The list of jobs finished in <paramref name="state"/> (completed, dead or cancelled).</summary>
    public JobFifo In(JobState state) => state switch
    {
        JobState.Completed => completed,
        JobState.Dead => dead,
        JobState.Cancelled => cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a finished state"),
    };

    public void Clear()
    {
        completed.Clear();
        dead.Clear();
        cancelled.Clear();
    }

    public List<JobEntry> TakePrunable(long now, RetentionPolicy retention, int max)
    {
        List<JobEntry> result = [];
        TakePrunable(completed, now - retention.Completed.Ticks, retention.CompletedCap, max, result);
        TakePrunable(cancelled, now - retention.Completed.Ticks, retention.CompletedCap, max, result);
        TakePrunable(dead, now - retention.Dead.Ticks, retention.DeadCap, max, result);
        return result;
    }

    /// <summary>
    /// Jobs of <paramref name="list"/>, oldest first, while they finished before <paramref name="finishedBefore"/>
    /// or more than <paramref name="cap"/> would be left.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TakePrunable(JobFifo list, long finishedBefore, int cap, int max, List<JobEntry> result)
    {
        var keep = list.Count;
        for (var job = list.Head; job is not null && result.Count < max; job = job.Next)
        {
            if (job.FinishedAt >= finishedBefore && keep <= cap)
            {
                return;
            }

            result.Add(job);
            keep--;
        }
    }
}
