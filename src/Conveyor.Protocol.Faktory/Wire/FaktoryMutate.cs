namespace Conveyor.Protocol.Faktory.Wire;

/// <summary>MUTATE's payload: <c>cmd</c> (clear, kill, discard, requeue) over <c>target</c> (scheduled, retries, dead).</summary>
public sealed class FaktoryMutate
{
    public string? Cmd { get; set; }

    public string? Target { get; set; }

    public FaktoryMutateFilter? Filter { get; set; }
}
