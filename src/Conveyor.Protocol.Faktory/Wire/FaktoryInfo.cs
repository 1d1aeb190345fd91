namespace Conveyor.Protocol.Faktory.Wire;

/// <summary>INFO's answer, in the shape Faktory clients and dashboards read.</summary>
public sealed class FaktoryInfo
{
    /// <summary>The server's time, RFC 3339 with fractional seconds, UTC.</summary>
    public required string Now { get; set; }

    /// <summary>The server's time of day, <c>15:04:05 UTC</c>.</summary>
    public required string ServerUtcTime { get; set; }

    public required FaktoryInfoStats Faktory { get; set; }

    public required FaktoryInfoServer Server { get; set; }
}
