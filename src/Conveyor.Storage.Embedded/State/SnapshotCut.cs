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
    private readonly PayloadBuffer output;
    private readonly Dictionary<JobEntry, JobEntry> preserved = new(ReferenceEqualityComparer.Instance);
    private readonly long lastSeq;
    private int next;

    /// <summary>The highest sequence number written so far: jobs at or below it are in the snapshot already.</summary>
    private long writtenThroughSeq = long.MinValue;

    /// <param name="jobs">The jobs live at the cut, in ascending <see cref="JobEntry.Seq"/>.</param>
    /// <param name="output">Where the jobs are written, after the body's header.</param>
    public SnapshotCut(JobEntry[] jobs, PayloadBuffer output)
    {
        this.jobs = jobs;
        this.output = output;
        lastSeq = jobs.Length == 0 ? long.MinValue : jobs[^1].Seq;
    }

    /// <summary>The jobs live at the cut: the snapshot's job count.</summary>
    public int Jobs => jobs.Length;

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
        var end = (int)Math.Min(jobs.Length, (long)next + maxJobs);
        for (; next < end; next++)
        {
            var job = jobs[next];
            var asAtCut = preserved.Count > 0 && preserved.Remove(job, out var copy) ? copy : job;
            JobTable.WriteJob(w, asAtCut);
            writtenThroughSeq = job.Seq;
            jobs[next] = null!; // written: the cut no longer keeps a removed job alive
        }

        return next == jobs.Length;
    }
}
