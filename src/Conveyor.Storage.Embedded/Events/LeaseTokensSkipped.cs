namespace Conveyor.Storage.Embedded.Events;

/// <summary>
/// The lease tokens up to <paramref name="Floor"/> are skipped: every later lease takes a token above it. Written, and made
/// durable, before a run of the store answers a fetch ahead of its fsync, so that no token a crashed run handed out without
/// logging it durably is ever handed out again (<see cref="Operations.LazyLeases"/>).
/// </summary>
internal sealed record LeaseTokensSkipped(long Floor) : StoreEvent
{
    public override RecordType Type => RecordType.LeaseTokensSkipped;
}
