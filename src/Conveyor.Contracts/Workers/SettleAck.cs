namespace Conveyor.Contracts.Workers;

/// <summary>One ack inside a settle.</summary>
public sealed record SettleAck
{
    /// <summary>The job id.</summary>
    public string? Id { get; set; }

    /// <summary>The lease token.</summary>
    public string? Token { get; set; }
}
