using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>
/// A wait for a job to finish: answered at once when the job is finished or unknown, otherwise parked in
/// <see cref="OperationContext.Waiters"/> until a batch finishes or removes it (the writer then answers it with that
/// batch's callers, after its commit). A read: it changes nothing, so it is answered even while writes are refused.
/// </summary>
internal sealed class WaitForFinishOperation(JobWait request) : StoreOperation<JobInfo?>
{
    private int abandoned;

    public override bool IsWrite => false;

    /// <summary>Parked on the writer: its answer waits for a later change.</summary>
    public bool Parked { get; private set; }

    /// <summary>The caller gave up (timeout, cancellation) or the wait was answered: a parked one is dropped.</summary>
    public bool IsDone => Volatile.Read(ref abandoned) == 1 || Task.IsCompleted;

    /// <summary>The caller stops waiting; the writer drops the wait when it next looks.</summary>
    public void Abandon() => Volatile.Write(ref abandoned, 1);

    /// <summary>The job finished or went (null): the answer the writer completes after the batch commits.</summary>
    public void Serve(JobTable table)
    {
        Parked = false;
        SetResult(Answer(table));
    }

    /// <summary>Ends a parked wait with the job as it is (the store is closing).</summary>
    public void EndWait(JobTable table)
    {
        Serve(table);
        Complete();
    }

    public override void Complete()
    {
        if (!Parked)
        {
            base.Complete();
        }
    }

    protected override JobInfo? Run(OperationContext context)
    {
        Parked = false;
        var job = context.Table.Find(request.Id);
        if (job is null || job.State.IsTerminal() || IsDone)
        {
            return job is null ? null : JobViews.ToInfo(job);
        }

        Parked = true;
        context.Waiters.Add(job.Key, this);
        return null;
    }

    private JobInfo? Answer(JobTable table) => table.Find(request.Id) is { } job ? JobViews.ToInfo(job) : null;
}
