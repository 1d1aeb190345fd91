using Conveyor.Core.Jobs;

namespace Conveyor.Server.Faktory.Verbs;

/// <summary>
/// <c>ACK {"jid"}</c> → <c>+OK</c>. Faktory names no lease, so the job's current lease is settled, from any
/// connection. Like Faktory, an ack of a job that is not reserved (unknown, already settled) is a no-op.
/// </summary>
internal sealed class AckVerb : IFaktoryVerb
{
    public async ValueTask<FaktoryReply> ExecuteAsync(FaktorySession session, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var ack = FaktoryJson.Read(payload, FaktoryJson.Context.FaktoryAck, "ACK");
        var jid = string.IsNullOrEmpty(ack.Jid) ? throw new FaktoryVerbException("ACK needs a jid") : ack.Jid;
        var job = await session.Broker.GetJobAsync(jid, cancellationToken).ConfigureAwait(false);
        if (job is { State: JobState.Active, Lease: { } lease })
        {
            await session.Broker.AckAsync(jid, lease.Token, cancellationToken).ConfigureAwait(false);
        }

        return FaktoryReply.Ok;
    }
}
