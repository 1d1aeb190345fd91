using Conveyor.Protocol.Faktory;

namespace Conveyor.Server.Faktory.Verbs;

/// <summary>
/// <c>FETCH q1 q2 ...</c> → one leased job as bulk JSON, or the null bulk after waiting up to
/// <see cref="Wait"/>. Queues are tried in the order given; paused queues are skipped. The lease is recorded under
/// <see cref="FaktorySession.LeaseHolder"/>.
/// </summary>
internal sealed class FetchVerb : IFaktoryVerb
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);

    public async ValueTask<FaktoryReply> ExecuteAsync(FaktorySession session, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var queues = new FaktoryCommandLine("FETCH", payload).Words();
        if (queues.Count == 0)
        {
            throw new FaktoryVerbException("FETCH needs at least one queue");
        }

        var jobs = await session.Broker.FetchAsync(queues, 1, Wait, session.LeaseHolder, cancellationToken).ConfigureAwait(false);
        if (jobs.Count == 0)
        {
            return FaktoryReply.Null;
        }

        try
        {
            return FaktoryReply.Bulk(FaktoryJson.Write(FaktoryJobMapping.ToFaktory(jobs[0]), FaktoryJson.Context.FaktoryJob)) with { Leased = jobs };
        }
        catch
        {
            // The answer could not be built: the job goes back now rather than when its lease runs out.
            await session.Broker.ReleaseAsync(jobs).ConfigureAwait(false);
            throw;
        }
    }
}
