namespace Conveyor.Protocol.Faktory.Wire;

/// <summary>The server's HI: the protocol version and, when a password is set, the salt and iteration count.</summary>
public sealed class FaktoryGreeting
{
    public int V { get; set; } = 2;

    public int? I { get; set; }

    public string? S { get; set; }
}
