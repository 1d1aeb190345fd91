namespace Conveyor.Server.Faktory;

/// <summary>One Faktory verb: translates the payload, calls the broker, and says what to answer. No business logic.</summary>
internal interface IFaktoryVerb
{
    ValueTask<FaktoryReply> ExecuteAsync(FaktorySession session, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}
