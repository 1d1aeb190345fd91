namespace Conveyor.Contracts.Jobs;

/// <summary>
/// A job's progress as its worker last reported it (<c>POST /v1/jobs/{id}/progress</c>): cleared when a new attempt
/// starts, kept on the finished job.
/// </summary>
/// <param name="Percent">0–100.</param>
/// <param name="Message">The worker's text (printable, at most 1,024 characters), or null.</param>
/// <param name="UpdatedAt">When the server took the report.</param>
public sealed record ProgressView(int Percent, string? Message, DateTimeOffset UpdatedAt);
