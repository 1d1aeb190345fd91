using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;

namespace Conveyor.Server.Faktory.Verbs;

/// <summary>
/// <c>ACK {"jid"}</c> → <c>+OK</c>. Faktory names no lease, so the job's current lease is settled, from any connection of
/// the worker it was leased to (<see cref="FaktoryLeaseHolder"/>); a lease held over HTTP or by another wid answers
/// <c>-ERR</c> and stays. Like Faktory, an ack of a job that is not reserved (unknown, already settled) is a no-op.
/// </summary>
internal sealed class AckVerb : IFaktoryVerb
{
    public async ValueTask<FaktoryReply> ExecuteAsync(FaktorySession session, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var ack = FaktoryJson.Read(payload, FaktoryJson.Context.FaktoryAck, "ACK");
        var jid = string.IsNullOrEmpty(ack.Jid) ? throw new FaktoryVerbException("ACK needs a jid") : ack.Jid;
        var job = await session.Broker.GetJobAsync(jid, cancellationToken).ConfigureAwait(false);
        if (job is not { State: JobState.Active, Lease: { } lease })
        {
            return FaktoryReply.Ok;
        }

        FaktoryFencing.EnsureHeldBy(session, jid, lease);
        var results = await session.Broker.SettleAsync(
            new JobSettle([new JobAck(jid, lease.Token) { WorkerId = session.LeaseHolder }], []), cancellationToken).ConfigureAwait(false);
        return results[0].Status == SettleStatus.Stale ? throw FaktoryFencing.LostLease(jid) : FaktoryReply.Ok;
    }
}
