using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>
/// Leases up to Max jobs: queues in the order given, priority, then FIFO. With nothing available and a
/// wait, it parks on the writer (<see cref="OperationContext.Park"/>) and is served by the first batch that
/// makes one of its queues available, so its leases share that batch's fsync with the enqueue. In sync mode it is
/// answered before its fsync when <see cref="LazyLeases"/> allows.
/// </summary>
/// <remarks>
/// The caller and the writer race to decide a waiting fetch: the caller gives up (timeout, cancellation)
/// with <see cref="TryAbandon"/>, the writer takes it with <see cref="TryClaim"/> before granting leases.
/// Exactly one wins, so a fetch that leased jobs is always answered and an abandoned one never leases.
/// </remarks>
internal sealed class FetchOperation(JobFetch request) : StoreOperation<IReadOnlyList<JobInfo>>
{
    private const int Open = 0;
    private const int Claimed = 1;
    private const int Abandoned = 2;

    private int state;

    /// <summary>Parked on the writer: its answer waits for a later batch.</summary>
    public bool Parked { get; private set; }

    /// <summary>The caller gives up; false if the writer already took the fetch (its answer is coming).</summary>
    public bool TryAbandon() => Interlocked.CompareExchange(ref state, Abandoned, Open) == Open;

    /// <summary>The caller gave up or the fetch was answered (failed, or ended at close): a parked one is dropped.</summary>
    public bool IsDone => Volatile.Read(ref state) == Abandoned || Task.IsCompleted;

    /// <summary>Whether one of the fetch's queues has a job to lease now.</summary>
    public bool CanLease(JobTable table)
    {
        foreach (var name in request.Queues)
        {
            if (table.FindQueue(name) is { Paused: false, Available: > 0 })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Serves a parked fetch whose queue became available (the writer checked <see cref="CanLease"/>).</summary>
    public bool TryServe(OperationContext context)
    {
        Parked = false;
        if (!TryClaim())
        {
            return false;
        }

        Execute(context);
        return true;
    }

    /// <summary>Ends a parked fetch empty (the store is closing).</summary>
    public void EndWait()
    {
        if (TryClaim())
        {
            Parked = false;
            SetResult([]);
            Complete();
        }
    }

    public override void Complete()
    {
        if (!Parked)
        {
            base.Complete();
        }
    }

    protected override IReadOnlyList<JobInfo> Run(OperationContext context)
    {
        context.PromoteDue(context.Settings.PromoteBatch);
        if (Volatile.Read(ref state) == Open)
        {
            if (!CanLease(context.Table))
            {
                return ParkOrEmpty(context);
            }

            if (!TryClaim())
            {
                return [];
            }
        }
        else if (Volatile.Read(ref state) == Abandoned)
        {
            return [];
        }

        return Lease(context);
    }

    private IReadOnlyList<JobInfo> ParkOrEmpty(OperationContext context)
    {
        if (request.Wait > TimeSpan.Zero)
        {
            Parked = true;
            context.Park(this);
        }

        return [];
    }

    private bool TryClaim() => Interlocked.CompareExchange(ref state, Claimed, Open) == Open;

    /// <summary>The job's lease length, no longer than its timeout and the grace (the attempt's deadline, set as the lease applies).</summary>
    private static int LeaseSecondsOf(JobEntry job) =>
        job.TimeoutSeconds == 0 ? job.LeaseSeconds : Math.Min(job.LeaseSeconds, job.TimeoutSeconds + JobDefaults.TimeoutGraceSeconds);

    private JobInfo[] Lease(OperationContext context)
    {
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

        context.Lazy.BeforeLease(context);
        var grants = new LeaseGrant[picked.Count];
        var token = table.LastLeaseToken;
        for (var i = 0; i < picked.Count; i++)
        {
            var job = picked[i];
            grants[i] = new LeaseGrant(job.Key, ++token, context.Now + TimeSpan.FromSeconds(LeaseSecondsOf(job)).Ticks) { Entry = job };
        }

        AnswersEarly = context.Lazy.MayAnswerEarly(token, picked);
        context.Emit(new JobsLeased(context.Now, request.WorkerId, grants));
        var leased = new JobInfo[picked.Count];
        for (var i = 0; i < picked.Count; i++)
        {
            leased[i] = JobViews.ToInfo(picked[i]);
        }

        return leased;
    }
}
