namespace Conveyor.Protocol.Faktory.Wire;

/// <summary>INFO's <c>server</c> section.</summary>
public sealed class FaktoryInfoServer
{
    public string Description { get; set; } = "Conveyor";

    /// <summary>The Faktory release whose protocol this server speaks.</summary>
    public string FaktoryVersion { get; set; } = "1.9.4";

    /// <summary>Seconds since start.</summary>
    public long Uptime { get; set; }

    public long Connections { get; set; }

    public long CommandCount { get; set; }

    public long UsedMemoryMb { get; set; }
}
