using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Commands;

/// <summary>Acks and fails as one record; each item is checked against the lease it names.</summary>
internal sealed class SettleCommand(JobSettle request) : StoreCommand<IReadOnlyList<SettleResult>>
{
    protected override IReadOnlyList<SettleResult> Run(CommandContext context)
    {
        var results = new SettleResult[request.Acks.Count + request.Fails.Count];
        List<SettledJob> settled = [];
        HashSet<JobEntry>? seen = null;
        var i = 0;
        foreach (var ack in request.Acks)
        {
            var (status, job) = Check(context.Table, ack.Id, ack.Token, ref seen);
            if (status == SettleStatus.Ok)
            {
                settled.Add(new SettledJob(job!.Key, JobState.Completed, 0, null) { Entry = job });
            }

            results[i++] = new SettleResult(ack.Id, status);
        }

        foreach (var fail in request.Fails)
        {
            var (status, job) = Check(context.Table, fail.Id, fail.Token, ref seen);
            if (status == SettleStatus.Ok)
            {
                settled.Add(Failed(context, job!, fail.ErrorType, fail.Message, fail.Backtrace, fail.RetryIn));
            }

            results[i++] = new SettleResult(fail.Id, status);
        }

        if (settled.Count > 0)
        {
            context.Emit(new JobsSettled(context.Now, [.. settled]));
        }

        return results;
    }

    /// <summary>The end of a failed attempt: retrying with back-off, or dead (shared with lease expiry).</summary>
    public static SettledJob Failed(
        CommandContext context, JobEntry job, string errorType, string message, IReadOnlyList<string> backtrace, TimeSpan? retryIn)
    {
        var now = Ticks.ToTime(context.Now);
        var decision = FailureDecision.For(job.Attempt, job.MaxAttempts, job.Backoff, now, retryIn, context.Settings.Random);
        var failure = new JobFailure(job.Attempt, now, errorType, message, [.. backtrace]);
        return new SettledJob(job.Key, decision.Next, decision.RunAt?.UtcTicks ?? 0, failure) { Entry = job };
    }

    private static (SettleStatus Status, JobEntry? Job) Check(JobTable table, JobKey id, string token, ref HashSet<JobEntry>? seen)
    {
        var (status, job) = table.CheckLease(id, token);
        if (status != SettleStatus.Ok)
        {
            return (status, job);
        }

        // The same lease named twice in one batch settles once; the second is stale.
        return ((seen ??= new(ReferenceEqualityComparer.Instance)).Add(job!) ? SettleStatus.Ok : SettleStatus.Stale, job);
    }
}
