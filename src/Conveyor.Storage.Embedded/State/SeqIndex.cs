using Conveyor.Core.Jobs;

namespace Conveyor.Storage.Embedded.State;

/// <summary>
/// Every job in creation order, for listing newest first. Appends are O(1) (sequence numbers only grow);
/// removed jobs are skipped and compacted away once they are half the list.
/// </summary>
/// <remarks>
/// The list is cut into blocks of <see cref="BlockSize"/> slots, each with a count of its jobs per state, kept as jobs
/// enter and leave states (O(1): a job knows its slot). A listing by state skips every block holding none of that
/// state, so a page of dead jobs among a million completed ones visits only the blocks that hold dead jobs, not
/// the whole table.
/// </remarks>
internal sealed class SeqIndex
{
    /// <summary>Slots a block covers: small enough that a sparse state's page scans little, large enough that the counts stay small.</summary>
    public const int BlockSize = 1 << BlockShift;

    private const int BlockShift = 8;
    private const int States = 8;

    private readonly List<JobEntry> jobs = [];
    private int[] blockCounts = new int[States * 64];
    private int removed;

    public void Add(JobEntry job)
    {
        job.SeqSlot = jobs.Count;
        jobs.Add(job);
        var needed = ((jobs.Count >> BlockShift) + 1) * States;
        if (needed > blockCounts.Length)
        {
            Array.Resize(ref blockCounts, Math.Max(needed, blockCounts.Length * 2));
        }
    }

    /// <summary>The job now counts in <paramref name="state"/> (or stops counting, with <paramref name="delta"/> -1) in its block.</summary>
    public void Count(JobEntry job, JobState state, int delta) =>
        blockCounts[((job.SeqSlot >> BlockShift) * States) + (int)state] += delta;

    public void Clear()
    {
        jobs.Clear();
        Array.Clear(blockCounts);
        removed = 0;
    }

    public void MarkRemoved()
    {
        removed++;
        if (removed > 1024 && removed > jobs.Count / 2)
        {
            jobs.RemoveAll(j => j.Removed);
            removed = 0;
            Array.Clear(blockCounts);
            for (var i = 0; i < jobs.Count; i++)
            {
                var job = jobs[i];
                job.SeqSlot = i;
                Count(job, job.State, 1);
            }
        }
    }

    /// <summary>Every job the index holds, oldest first: the live ones and some removed ones (<see cref="JobEntry.Removed"/>) not yet compacted away.</summary>
    public JobEntry[] Copy() => jobs.ToArray();

    /// <summary>
    /// Live jobs with <see cref="JobEntry.Seq"/> below <paramref name="before"/>, newest first; with
    /// <paramref name="state"/>, only the blocks that hold jobs in that state are visited (the caller still checks each job).
    /// </summary>
    public IEnumerable<JobEntry> Descending(long before, JobState? state = null)
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

        var i = lo - 1;
        while (i >= 0)
        {
            if (state is { } wanted && blockCounts[((i >> BlockShift) * States) + (int)wanted] == 0)
            {
                i = ((i >> BlockShift) << BlockShift) - 1; // the whole block holds none: go to the end of the one before
                continue;
            }

            var job = jobs[i--];
            if (!job.Removed)
            {
                yield return job;
            }
        }
    }
}
