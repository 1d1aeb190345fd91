namespace Conveyor.Server.Faktory.Verbs;

/// <summary><c>END</c>: the client is done; the server closes the socket without answering.</summary>
internal sealed class EndVerb : IFaktoryVerb
{
    public ValueTask<FaktoryReply> ExecuteAsync(FaktorySession session, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        ValueTask.FromResult(FaktoryReply.Close);
}
