namespace Conveyor.Server.Faktory.Verbs;

/// <summary><c>PUSH {job}</c> → <c>+OK</c> once the job is durable (an existing jid is answered OK too).</summary>
internal sealed class PushVerb : IFaktoryVerb
{
    public async ValueTask<FaktoryReply> ExecuteAsync(FaktorySession session, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var job = FaktoryJson.Read(payload, FaktoryJson.Context.FaktoryJob, "PUSH");
        await session.Broker.EnqueueAsync(FaktoryJobMapping.ToSpec(job), cancellationToken).ConfigureAwait(false);
        return FaktoryReply.Ok;
    }
}
