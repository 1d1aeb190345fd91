using Conveyor.Contracts.Jobs;

namespace Conveyor.Contracts.Workers;

/// <summary>The leased jobs, each with its <see cref="JobView.Lease"/>; empty when the wait ran out.</summary>
public sealed record FetchResponse(IReadOnlyList<JobView> Jobs);
