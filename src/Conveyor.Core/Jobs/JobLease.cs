namespace Conveyor.Core.Jobs;

/// <summary>The current lease of an active job. Only its token may settle or extend it (fencing).</summary>
/// <param name="Token">Opaque; a new one is issued for every fetch.</param>
/// <param name="WorkerId">The worker that fetched, when it said.</param>
/// <param name="ExpiresAt">When the lease runs out unless extended.</param>
public sealed record JobLease(string Token, string? WorkerId, DateTimeOffset ExpiresAt);
