using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// One waiting fetch. The caller (giving up on time or cancellation) and the dispatcher (leasing for it) race to decide
/// it under its lock: a fetch being leased for is answered by the dispatcher, with its jobs if any, so a job leased to a
/// fetch always reaches it; one given up before is never leased for.
/// </summary>
internal sealed class FetchWaiter(JobFetch request)
{
    private readonly Lock gate = new();
    private readonly TaskCompletionSource<IReadOnlyList<JobInfo>> answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool busy;
    private bool done;

    public JobFetch Request { get; } = request;

    /// <summary>Why the caller gave up (0 none, 1 time, 2 cancellation).</summary>
    public int GaveUp { get; private set; }

    public Task<IReadOnlyList<JobInfo>> Answer => answer.Task;

    public bool IsDone
    {
        get
        {
            lock (gate)
            {
                return done;
            }
        }
    }

    /// <summary>The caller gives up; the answer comes at once unless the dispatcher is leasing for it.</summary>
    public void GiveUp(int reason)
    {
        lock (gate)
        {
            if (done)
            {
                return;
            }

            GaveUp = reason;
            if (busy)
            {
                return;
            }

            done = true;
        }

        answer.TrySetResult([]);
    }

    /// <summary>The dispatcher takes the fetch to lease for it; false when it is answered or given up.</summary>
    public bool TryClaim()
    {
        lock (gate)
        {
            if (done || busy)
            {
                return false;
            }

            busy = true;
            return true;
        }
    }

    /// <summary>
    /// The dispatcher's lease ended: jobs, a give-up meanwhile or <paramref name="closing"/> answer the fetch; otherwise it
    /// waits on. Returns whether it was answered.
    /// </summary>
    public bool Finish(IReadOnlyList<JobInfo> jobs, bool closing)
    {
        lock (gate)
        {
            busy = false;
            if (jobs.Count == 0 && GaveUp == 0 && !closing)
            {
                return false;
            }

            done = true;
        }

        answer.TrySetResult(jobs);
        return true;
    }

    /// <summary>The dispatcher's lease failed: the fetch answers with the error.</summary>
    public void Fail(Exception error)
    {
        lock (gate)
        {
            busy = false;
            done = true;
        }

        answer.TrySetException(error);
    }
}
