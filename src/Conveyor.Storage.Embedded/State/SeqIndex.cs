namespace Conveyor.Storage.Embedded.State;

/// <summary>
/// Every job in creation order, for listing newest first. Appends are O(1) (sequence numbers only grow);
/// removed jobs are skipped and compacted away once they are half the list.
/// </summary>
internal sealed class SeqIndex
{
    private readonly List<JobEntry> jobs = [];
    private int removed;

    public void Add(JobEntry job) => jobs.Add(job);

    public void Clear()
    {
        jobs.Clear();
        removed = 0;
    }

    public void MarkRemoved()
    {
        removed++;
        if (removed > 1024 && removed > jobs.Count / 2)
        {
            jobs.RemoveAll(j => j.Removed);
            removed = 0;
        }
    }

    /// <summary>Every job the index holds, oldest first: the live ones and some removed ones (<see cref="JobEntry.Removed"/>) not yet compacted away.</summary>
    public JobEntry[] Copy() => jobs.ToArray();

    /// <summary>Live jobs with <see cref="JobEntry.Seq"/> below <paramref name="before"/>, newest first.</summary>
    public IEnumerable<JobEntry> Descending(long before)
    {
        var lo = 0;
        var hi = jobs.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (jobs[mid].Seq < before)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        for (var i = lo - 1; i >= 0; i--)
        {
            var job = jobs[i];
            if (!job.Removed)
            {
                yield return job;
            }
        }
    }
}
