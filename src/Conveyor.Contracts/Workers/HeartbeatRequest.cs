namespace Conveyor.Contracts.Workers;

/// <summary>Extend a lease (<c>POST /v1/jobs/{id}/heartbeat</c>).</summary>
public sealed record HeartbeatRequest
{
    /// <summary>The lease token.</summary>
    public string? Token { get; set; }

    /// <summary>Seconds from now (default: the job's lease length).</summary>
    public int? ExtendSeconds { get; set; }
}
