using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>Acks and fails as one record; each item is checked against the lease it names.</summary>
internal sealed class SettleOperation(JobSettle request) : StoreOperation<IReadOnlyList<SettleResult>>
{
    protected override IReadOnlyList<SettleResult> Run(OperationContext context)
    {
        // Sized once for the whole request: a worker's batch of a thousand acks would otherwise grow the set and
        // the list ten times each, and copy the list once more into the event.
        var count = request.Acks.Count + request.Fails.Count;
        var results = new SettleResult[count];
        var settled = new SettledJob[count];
        var seen = new HashSet<JobEntry>(count, ReferenceEqualityComparer.Instance);
        int i = 0, ok = 0;
        var withResults = false;
        foreach (var ack in request.Acks)
        {
            var (status, job) = Check(context.Table, ack.Id, ack.Token, ack.WorkerId, seen);
            if (status == SettleStatus.Ok)
            {
                settled[ok++] = new SettledJob(job!.Key, JobState.Completed, 0, null) { Entry = job, Result = ack.Result };
                withResults |= ack.Result is not null;
            }

            results[i++] = new SettleResult(ack.Id, status);
        }

        foreach (var fail in request.Fails)
        {
            var (status, job) = Check(context.Table, fail.Id, fail.Token, fail.WorkerId, seen);
            if (status == SettleStatus.Ok)
            {
                settled[ok++] = Failed(context, job!, fail.ErrorType, fail.Message, fail.Backtrace, fail.RetryIn, fail.Retry);
            }

            results[i++] = new SettleResult(fail.Id, status);
        }

        if (ok > 0)
        {
            Array.Resize(ref settled, ok);
            context.Emit(new JobsSettled(context.Now, settled) { WithResults = withResults });
        }

        return results;
    }

    /// <summary>The end of a failed attempt: retrying with back-off, or dead (shared with lease expiry).</summary>
    public static SettledJob Failed(
        OperationContext context, JobEntry job, string errorType, string message, IReadOnlyList<string> backtrace, TimeSpan? retryIn, bool retry = true)
    {
        var now = Ticks.ToTime(context.Now);
        var decision = FailureDecision.For(job.Attempt, job.MaxAttempts, job.Backoff, now, retryIn, context.Settings.Random, retry);
        var failure = new JobFailure(job.Attempt, now, errorType, message, [.. backtrace]);
        return new SettledJob(job.Key, decision.Next, decision.RunAt?.UtcTicks ?? 0, failure) { Entry = job };
    }

    private static (SettleStatus Status, JobEntry? Job) Check(JobTable table, JobKey id, string token, string? workerId, HashSet<JobEntry> seen)
    {
        var (status, job) = table.CheckLease(id, token);
        if (status != SettleStatus.Ok)
        {
            return (status, job);
        }

        // Fencing by holder as well as by token: a lease granted to another worker stays with it.
        if (workerId is not null && !string.Equals(job!.LeaseWorker, workerId, StringComparison.Ordinal))
        {
            return (SettleStatus.Stale, job);
        }

        // The same lease named twice in one batch settles once; the second is stale.
        return (seen.Add(job!) ? SettleStatus.Ok : SettleStatus.Stale, job);
    }
}
