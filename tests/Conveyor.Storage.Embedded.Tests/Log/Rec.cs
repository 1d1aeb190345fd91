namespace Conveyor.Storage.Embedded.Tests.Log;

/// <summary>A record as the test wrote or the WAL replayed it, compared by content.</summary>
internal sealed record Rec(byte Type, byte[] Payload)
{
    public bool Equals(Rec? other) => other is not null && Type == other.Type && Payload.AsSpan().SequenceEqual(other.Payload);

    public override int GetHashCode() => HashCode.Combine(Type, Payload.Length);

    public override string ToString() => $"type {Type}, {Payload.Length} bytes";
}
