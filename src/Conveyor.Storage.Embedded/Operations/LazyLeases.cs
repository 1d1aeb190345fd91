using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>
/// In sync mode a fetch is answered once its lease records are appended, not once they are fsynced: the next group commit
/// (any acknowledged write, which always waits for its fsync) covers them, and since the WAL is one ordered log a durable
/// ack implies a durable lease. A crash before that loses the lease: the job is available again, the attempt is not
/// counted, and the lost token must be refused. Tokens are a counter recovered from the log, so a run skips ahead before
/// its first early answer: it logs <see cref="LeaseTokensSkipped"/> (the last token plus <see cref="TokenWindow"/>) and
/// waits for that record's fsync; from then on a fetch is answered early only while its tokens stay within
/// <see cref="TokenWindow"/> of the last committed one. Every token a crashed run handed out unlogged is therefore below
/// the next run's skip. A fetch also waits for the commit when it leases a job whose becoming available is not durable
/// yet (an enqueue or a retry still being committed): a worker never sees a job the disk may not hold.
/// </summary>
internal sealed class LazyLeases(bool enabled)
{
    /// <summary>How far past the last committed token a run may hand out tokens before a commit.</summary>
    public const long TokenWindow = 1L << 32;

    private bool skipPending;
    private bool skipped;

    /// <summary>Whether fetches may be answered before their fsync (sync mode only).</summary>
    public bool Enabled => enabled;

    /// <summary>The highest token a fetch may answer with before its commit; 0 until this run's skip is durable.</summary>
    public long TokenLimit { get; private set; }

    /// <summary>The table's last ready sequence as of the last durable commit: a job at or below it is available on disk too.</summary>
    public long DurableReadySeq { get; private set; }

    /// <summary>Before a fetch takes tokens: logs this run's skip unless one is pending or durable.</summary>
    public void BeforeLease(OperationContext context)
    {
        if (enabled && !skipped && !skipPending)
        {
            context.Emit(new LeaseTokensSkipped(context.Table.LastLeaseToken + TokenWindow));
            skipPending = true;
        }
    }

    /// <summary>Whether a fetch that hands out tokens up to <paramref name="lastToken"/> for <paramref name="jobs"/> may be answered before its commit.</summary>
    public bool MayAnswerEarly(long lastToken, List<JobEntry> jobs)
    {
        if (!enabled || lastToken > TokenLimit)
        {
            return false;
        }

        foreach (var job in jobs)
        {
            if (job.ReadySeq > DurableReadySeq)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What a commit whose records are being written now will have made durable once its fsync is done.</summary>
    public CommitMark Written(JobTable table) => new(table.LastLeaseToken, table.LastReadySeq, skipped || skipPending);

    /// <summary>The commit <paramref name="mark"/> describes is durable.</summary>
    public void Committed(CommitMark mark)
    {
        DurableReadySeq = Math.Max(DurableReadySeq, mark.LastReadySeq);
        if (mark.Skipped)
        {
            skipped = true;
            skipPending = false;
            TokenLimit = mark.LastLeaseToken + TokenWindow;
        }
    }

    /// <summary>
    /// The state was loaded from disk (open, or a reload after a failed commit): all of it is durable, and tokens handed
    /// out since the last commit are unknown to it, so the run skips again before its next early answer.
    /// </summary>
    public void Reset(JobTable table)
    {
        skipped = false;
        skipPending = false;
        TokenLimit = 0;
        DurableReadySeq = table.LastReadySeq;
    }

    /// <summary>A commit's durable point: the last token and ready sequence it covers, and whether this run's skip is in it.</summary>
    public readonly record struct CommitMark(long LastLeaseToken, long LastReadySeq, bool Skipped);
}
