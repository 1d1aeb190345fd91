namespace Conveyor.Contracts.Workers;

/// <summary>The new end of the lease.</summary>
public sealed record HeartbeatResponse(DateTimeOffset ExpiresAt);
