namespace Conveyor.Protocol.Faktory.Wire;

/// <summary>ACK's payload.</summary>
public sealed class FaktoryAck
{
    public string? Jid { get; set; }
}
