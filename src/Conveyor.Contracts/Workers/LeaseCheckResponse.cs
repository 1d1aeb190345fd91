namespace Conveyor.Contracts.Workers;

/// <summary>The leases of a check that are no longer held, in request order; empty when the worker holds them all.</summary>
public sealed record LeaseCheckResponse(IReadOnlyList<LostLeaseView> Lost);
