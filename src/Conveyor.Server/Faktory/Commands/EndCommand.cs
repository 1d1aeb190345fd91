namespace Conveyor.Server.Faktory.Commands;

/// <summary><c>END</c>: the client is done; the server closes the socket without answering.</summary>
internal sealed class EndCommand : IFaktoryCommand
{
    public ValueTask<FaktoryReply> ExecuteAsync(FaktorySession session, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        ValueTask.FromResult(FaktoryReply.Close);
}
