namespace Conveyor.Server.Faktory.Verbs;

/// <summary>
/// <c>PUSH {job}</c> → <c>+OK</c> once the job is durable (an existing jid is answered OK too); <c>-NOTUNIQUE Job not
/// unique</c> when its <c>unique_for</c> lock is held by another job, as Faktory Enterprise answers.
/// </summary>
internal sealed class PushVerb : IFaktoryVerb
{
    public async ValueTask<FaktoryReply> ExecuteAsync(FaktorySession session, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var job = FaktoryJson.Read(payload, FaktoryJson.Context.FaktoryJob, "PUSH");
        var enqueued = await session.Broker.EnqueueAsync(FaktoryJobMapping.ToSpec(job), cancellationToken).ConfigureAwait(false);
        return enqueued.UniqueHeld ? FaktoryReply.NotUnique : FaktoryReply.Ok;
    }
}
