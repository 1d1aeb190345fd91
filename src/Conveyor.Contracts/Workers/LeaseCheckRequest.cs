namespace Conveyor.Contracts.Workers;

/// <summary>The leases a worker holds (<c>POST /v1/leases/check</c>); the answer names those it no longer holds.</summary>
public sealed record LeaseCheckRequest
{
    /// <summary>At most 1000 leases, each a job id and the token its fetch granted.</summary>
    public IReadOnlyList<LeaseCheckItem?>? Leases { get; set; }
}
