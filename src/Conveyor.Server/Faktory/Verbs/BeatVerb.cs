using Conveyor.Broker.Workers;
using Conveyor.Protocol.Faktory.Wire;

namespace Conveyor.Server.Faktory.Verbs;

/// <summary>
/// <c>BEAT {"wid"}</c> → <c>+OK</c>, or bulk <c>{"state":"quiet"}</c> / <c>{"state":"terminate"}</c> when an
/// operator asked the worker to (<c>POST /v1/workers/{wid}/quiet</c>, <c>/terminate</c>).
/// </summary>
internal sealed class BeatVerb : IFaktoryVerb
{
    public ValueTask<FaktoryReply> ExecuteAsync(FaktorySession session, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var beat = FaktoryJson.Read(payload, FaktoryJson.Context.FaktoryBeat, "BEAT");
        if (FaktoryFieldBounds.Check(beat) is { } bound)
        {
            throw new FaktoryVerbException(bound);
        }

        var wid = string.IsNullOrEmpty(beat.Wid) ? session.Wid : beat.Wid;
        if (string.IsNullOrEmpty(wid))
        {
            throw new FaktoryVerbException("BEAT needs a wid");
        }

        var state = session.Workers.Beat(wid);
        return ValueTask.FromResult(state switch
        {
            WorkerState.Quiet => Reply("quiet"),
            WorkerState.Terminate => Reply("terminate"),
            _ => FaktoryReply.Ok,
        });
    }

    private static FaktoryReply Reply(string state) =>
        FaktoryReply.Bulk(FaktoryJson.Write(new FaktoryBeatReply { State = state }, FaktoryJson.Context.FaktoryBeatReply));
}
