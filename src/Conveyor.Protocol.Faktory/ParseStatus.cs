namespace Conveyor.Protocol.Faktory;

/// <summary>What <see cref="FaktoryParser.TryParse"/> found in the buffer.</summary>
public enum ParseStatus
{
    /// <summary>No complete line yet; read more and call again.</summary>
    Incomplete,

    /// <summary>A command was parsed and consumed.</summary>
    Command,

    /// <summary>A line is longer than the limit; the connection should be refused and closed.</summary>
    LineTooLong,
}
