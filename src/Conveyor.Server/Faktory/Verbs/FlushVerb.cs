using Conveyor.Core.Jobs;

namespace Conveyor.Server.Faktory.Verbs;

/// <summary>
/// <c>FLUSH</c> → <c>+OK</c>: deletes every job, as Faktory's FLUSH empties its store. Active jobs are cancelled
/// first (their workers' ACK/FAIL then find nothing). Lifetime totals and queue pause flags are kept.
/// </summary>
internal sealed class FlushVerb : IFaktoryVerb
{
    public async ValueTask<FaktoryReply> ExecuteAsync(FaktorySession session, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var broker = session.Broker;
        List<string> ids = [];
        await foreach (var job in FaktoryJobScan.AllAsync(broker, null, null, null, cancellationToken).ConfigureAwait(false))
        {
            var id = job.Id; // made once: a server-assigned id is held as its value
            if (job.State == JobState.Active)
            {
                await broker.CancelAsync(id, cancellationToken).ConfigureAwait(false);
            }

            ids.Add(id);
        }

        await FaktoryJobScan.InChunksAsync(ids, broker.DiscardAsync, cancellationToken).ConfigureAwait(false);
        return FaktoryReply.Ok;
    }
}
