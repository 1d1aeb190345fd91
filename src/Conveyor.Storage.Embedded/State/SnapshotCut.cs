using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.Log;

namespace Conveyor.Storage.Embedded.State;

/// <summary>
/// A snapshot being written a slice at a time while the writer goes on changing the table: the state as it was
/// when the cut was made. It holds the jobs that were live then, in sequence order; before the table changes one
/// of them that is not written yet, it keeps a copy of it as it was (<see cref="Preserve"/>), and writes that copy
/// when it comes to the job. Jobs created after the cut are not in it (the WAL after the cut holds them).
/// </summary>
/// <remarks>
/// Everything runs on the writer loop, between batches and inside <see cref="JobTable.Apply"/>, so nothing here
/// is shared with another thread. A job is copied at most once per cut, on its first change, so the extra memory
/// is bounded by the jobs changed while the snapshot is written.
/// </remarks>
internal sealed class SnapshotCut
{
    private readonly JobEntry[] jobs;
    private readonly int live;
    private readonly PayloadBuffer output;
    private readonly Dictionary<JobEntry, JobEntry> preserved = new(ReferenceEqualityComparer.Instance);
    private readonly long lastSeq;
    private int next;
    private int written;

    /// <summary>The highest sequence number written so far: jobs at or below it are in the snapshot already.</summary>
    private long writtenThroughSeq = long.MinValue;

    /// <param name="jobs">
    /// The sequence index at the cut, in ascending <see cref="JobEntry.Seq"/>: the jobs live then, and jobs removed
    /// before it, which are skipped (one removed after the cut was preserved first, so it is written as it was).
    /// </param>
    /// <param name="live">How many of them were live at the cut: the count the body's header gave.</param>
    /// <param name="output">Where the jobs are written, after the body's header.</param>
    public SnapshotCut(JobEntry[] jobs, int live, PayloadBuffer output)
    {
        this.jobs = jobs;
        this.live = live;
        this.output = output;
        lastSeq = jobs.Length == 0 ? long.MinValue : jobs[^1].Seq;
    }

    /// <summary>The jobs live at the cut: the snapshot's job count.</summary>
    public int Jobs => live;

    /// <summary>The most copies held at once (jobs changed since the cut and not written yet).</summary>
    public int MostPreserved { get; private set; }

    /// <summary>
    /// Called before <paramref name="job"/> changes: when the cut holds it and has not written it yet, keeps a copy
    /// of it as it is now (its state at the cut: only its first change since the cut is kept).
    /// </summary>
    public void Preserve(JobEntry job)
    {
        if (job.Seq <= writtenThroughSeq || job.Seq > lastSeq)
        {
            return;
        }

        ref var copy = ref CollectionsMarshal.GetValueRefOrAddDefault(preserved, job, out var exists);
        if (!exists)
        {
            copy = job.CopyForSnapshot();
            MostPreserved = Math.Max(MostPreserved, preserved.Count);
        }
    }

    /// <summary>Writes up to <paramref name="maxJobs"/> more jobs; true once every job is written.</summary>
    /// <remarks>
    /// Compiled optimized from its first call: it runs a few hundred times per snapshot, thousands of jobs each, and
    /// under tiered compilation the calls before it is promoted ran in unoptimized code (3.9 % of the server's samples
    /// in a batched run that took a snapshot). The same for the other snapshot and pruning loops it calls or sits beside.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool WriteNext(int maxJobs)
    {
        var w = new PayloadWriter(output);
        var slice = 0;
        while (next < jobs.Length && slice < maxJobs)
        {
            var job = jobs[next];
            jobs[next++] = null!; // passed: the cut no longer keeps a removed job alive
            JobEntry asAtCut;
            if (preserved.Count > 0 && preserved.Remove(job, out var copy))
            {
                asAtCut = copy;
            }
            else if (job.Removed)
            {
                continue; // removed before the cut: a job removed since was preserved before it was
            }
            else
            {
                asAtCut = job;
            }

            if (job.Seq <= writtenThroughSeq || written == live)
            {
                throw new InvalidOperationException($"the sequence index does not hold the {live} live jobs in ascending order");
            }

            Snapshots.SnapshotCodec.WriteJob(w, asAtCut);
            writtenThroughSeq = job.Seq;
            written++;
            slice++;
        }

        if (next < jobs.Length)
        {
            return false;
        }

        return written == live
            ? true
            : throw new InvalidOperationException($"the sequence index held {written} jobs live at the cut, the table {live}");
    }
}
