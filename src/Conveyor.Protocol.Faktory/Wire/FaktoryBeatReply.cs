namespace Conveyor.Protocol.Faktory.Wire;

/// <summary>BEAT's answer when the worker should change state: <c>{"state":"quiet"}</c> or <c>{"state":"terminate"}</c>.</summary>
public sealed class FaktoryBeatReply
{
    public required string State { get; set; }
}
