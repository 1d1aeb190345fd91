using Conveyor.Core.Jobs;

namespace Conveyor.Storage.Embedded.State;

/// <summary>A queue: its paused flag, one available list per priority, and counts per state.</summary>
internal sealed class QueueState(string name)
{
    private readonly JobFifo[] available = CreateLists();

    public string Name { get; } = name;

    public bool Paused { get; set; }

    /// <summary>Whether the queue was deleted: only finished jobs still point at it, and none is counted here.</summary>
    public bool Removed { get; set; }

    public int Available { get; private set; }

    public int Scheduled { get; set; }

    public int Retrying { get; set; }

    public int Active { get; set; }

    public void AddAvailable(JobEntry job)
    {
        available[job.Priority - JobDefaults.MinPriority].Append(job);
        Available++;
    }

    public void RemoveAvailable(JobEntry job)
    {
        available[job.Priority - JobDefaults.MinPriority].Remove(job);
        Available--;
    }

    /// <summary>
    /// When the available job that has waited longest became available (0 when none is): each priority's list is in
    /// the order its jobs became available, so the oldest is the earliest of the heads, one look per priority.
    /// </summary>
    public long OldestAvailableAt()
    {
        var oldest = 0L;
        foreach (var list in available)
        {
            if (list.Head is { } head && (oldest == 0 || head.AvailableAt < oldest))
            {
                oldest = head.AvailableAt;
            }
        }

        return oldest;
    }

    /// <summary>Available jobs in fetch order: highest priority first, FIFO within one.</summary>
    public IEnumerable<JobEntry> InFetchOrder()
    {
        for (var p = available.Length - 1; p >= 0; p--)
        {
            for (var job = available[p].Head; job is not null; job = job.Next)
            {
                yield return job;
            }
        }
    }

    private static JobFifo[] CreateLists()
    {
        var lists = new JobFifo[JobDefaults.MaxPriority - JobDefaults.MinPriority + 1];
        for (var i = 0; i < lists.Length; i++)
        {
            lists[i] = new JobFifo();
        }

        return lists;
    }
}
