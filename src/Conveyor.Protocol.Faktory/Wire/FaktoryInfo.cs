namespace Conveyor.Protocol.Faktory.Wire;

/// <summary>INFO's answer, in the shape Faktory clients and dashboards read.</summary>
public sealed class FaktoryInfo
{
    public required FaktoryInfoStats Faktory { get; set; }

    public required FaktoryInfoServer Server { get; set; }
}
