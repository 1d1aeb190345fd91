namespace Conveyor.Contracts.Jobs;

/// <summary>The lease of an active job. Ack, fail and heartbeat must present <see cref="Token"/>.</summary>
public sealed record LeaseView(string Token, string? WorkerId, DateTimeOffset ExpiresAt);
