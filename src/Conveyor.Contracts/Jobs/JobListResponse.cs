namespace Conveyor.Contracts.Jobs;

/// <summary>A page of jobs, newest first; pass <see cref="NextCursor"/> as <c>cursor</c> for the next (null at the end).</summary>
public sealed record JobListResponse(IReadOnlyList<JobView> Jobs, string? NextCursor);
