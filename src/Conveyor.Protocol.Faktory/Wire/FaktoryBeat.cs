namespace Conveyor.Protocol.Faktory.Wire;

/// <summary>BEAT's payload.</summary>
public sealed class FaktoryBeat
{
    public string? Wid { get; set; }

    public string? CurrentState { get; set; }

    public long? RssKb { get; set; }
}
