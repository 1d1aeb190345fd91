namespace Conveyor.Server.Faktory.Verbs;

/// <summary>
/// <c>FLUSH</c> → <c>+OK</c>: deletes every job and queue, as Faktory's FLUSH empties its store, in one store write
/// (<see cref="Broker.JobBroker.FlushAsync"/>), so a large store is never left half-flushed by the command timeout.
/// Active jobs go too: their workers' ACK/FAIL then find nothing. Lifetime totals are kept.
/// </summary>
internal sealed class FlushVerb : IFaktoryVerb
{
    public async ValueTask<FaktoryReply> ExecuteAsync(FaktorySession session, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await session.Broker.FlushAsync(cancellationToken).ConfigureAwait(false);
        return FaktoryReply.Ok;
    }
}
