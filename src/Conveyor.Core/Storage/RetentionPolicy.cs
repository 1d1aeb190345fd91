namespace Conveyor.Core.Storage;

/// <summary>How long finished jobs are kept, and how many at most (the oldest go first).</summary>
/// <param name="Completed">Window for completed (and cancelled) jobs; default 1 hour.</param>
/// <param name="CompletedCap">Most completed (and, separately, cancelled) jobs kept; default 100,000.</param>
/// <param name="Dead">Window for dead jobs; default 180 days.</param>
/// <param name="DeadCap">Most dead jobs kept; default 1,000,000.</param>
public sealed record RetentionPolicy(TimeSpan Completed, int CompletedCap, TimeSpan Dead, int DeadCap)
{
    /// <summary>SPEC defaults.</summary>
    public static RetentionPolicy Default { get; } = new(TimeSpan.FromHours(1), 100_000, TimeSpan.FromDays(180), 1_000_000);

    /// <summary>No count and no window is negative.</summary>
    public bool IsValid => CompletedCap >= 0 && DeadCap >= 0 && Completed >= TimeSpan.Zero && Dead >= TimeSpan.Zero;
}
