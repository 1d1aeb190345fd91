namespace Conveyor.Protocol.Faktory.Wire;

/// <summary>The client's HELLO.</summary>
public sealed class FaktoryHello
{
    public string? Hostname { get; set; }

    public string? Wid { get; set; }

    public int? Pid { get; set; }

    public IReadOnlyList<string>? Labels { get; set; }

    public int? V { get; set; }

    public string? Pwdhash { get; set; }
}
