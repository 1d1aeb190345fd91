namespace Conveyor.Core.Jobs;

/// <summary>
/// How far a running job says it is: set by its worker while it holds the lease (<see cref="Storage.JobProgressReport"/>),
/// cleared when a new attempt starts, kept on the finished job.
/// </summary>
/// <param name="Percent">0–100.</param>
/// <param name="Message">A short printable text (at most <see cref="Inputs.InputLimits.ProgressMessageLength"/> characters), or null.</param>
/// <param name="UpdatedAt">When the store took the report.</param>
public sealed record JobProgress(int Percent, string? Message, DateTimeOffset UpdatedAt)
{
    /// <summary>The largest percent.</summary>
    public const int MaxPercent = 100;
}
