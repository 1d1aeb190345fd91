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
/// the next run's skip. A fetch also waits for the commit when it leases a job that became available in its own batch
/// (an enqueue or a retry not yet durable): a worker never sees a job the disk may not hold.
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

    /// <summary>The table's last ready sequence when the batch began: jobs at or below it were available before it.</summary>
    public long BatchReadySeq { get; set; }

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
            if (job.ReadySeq > BatchReadySeq)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A group commit made everything logged so far durable (the skip included, if one was pending).</summary>
    public void Committed(long lastLeaseToken)
    {
        if (skipped || skipPending)
        {
            skipped = true;
            skipPending = false;
            TokenLimit = lastLeaseToken + TokenWindow;
        }
    }

    /// <summary>The state was reloaded from disk: tokens handed out since the last commit are unknown to it, so skip again.</summary>
    public void Reset()
    {
        skipped = false;
        skipPending = false;
        TokenLimit = 0;
    }
}
