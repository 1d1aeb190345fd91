using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;

namespace Conveyor.Server.Faktory.Verbs;

/// <summary>
/// <c>FAIL {"jid","errtype","message","backtrace"}</c> → <c>+OK</c>: the job's current lease fails (retrying
/// with back-off, or dead). A job pushed with <c>retry: 0</c> has <c>Dead = false</c>, so the store discards it
/// in the same write instead of keeping it dead. Only a lease of this connection's worker can fail (<see cref="FaktoryFencing"/>).
/// </summary>
internal sealed class FailVerb : IFaktoryVerb
{
    public async ValueTask<FaktoryReply> ExecuteAsync(FaktorySession session, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var fail = FaktoryJson.Read(payload, FaktoryJson.Context.FaktoryFail, "FAIL");
        var jid = string.IsNullOrEmpty(fail.Jid) ? throw new FaktoryVerbException("FAIL needs a jid") : fail.Jid;
        var broker = session.Broker;
        var job = await broker.GetJobAsync(jid, cancellationToken).ConfigureAwait(false);
        if (job is not { State: JobState.Active, Lease: { } lease })
        {
            throw new FaktoryVerbException($"job {jid} is not reserved");
        }

        FaktoryFencing.EnsureHeldBy(session, jid, lease);
        IReadOnlyList<string> backtrace = fail.Backtrace ?? [];
        if (FaktoryJobMapping.BacktraceLimit(job) is { } limit)
        {
            backtrace = [.. backtrace.Take(limit)];
        }

        var status = await broker.FailAsync(
            new JobFail(jid, lease.Token, string.IsNullOrEmpty(fail.Errtype) ? "unknown" : fail.Errtype, fail.Message ?? "", backtrace)
            {
                WorkerId = session.LeaseHolder,
            },
            cancellationToken).ConfigureAwait(false);
        if (status != SettleStatus.Ok)
        {
            throw status == SettleStatus.Stale ? FaktoryFencing.LostLease(jid) : new FaktoryVerbException($"job {jid} is not reserved");
        }

        return FaktoryReply.Ok;
    }
}
