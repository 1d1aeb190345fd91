namespace Conveyor.Protocol.Faktory.Wire;

/// <summary>The size of one of INFO's task sets.</summary>
public sealed class FaktoryTaskSize
{
    public long Size { get; set; }
}
