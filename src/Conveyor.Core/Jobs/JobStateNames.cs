using System.Diagnostics.CodeAnalysis;

namespace Conveyor.Core.Jobs;

/// <summary>The wire names of <see cref="JobState"/> (lower case, as in the HTTP API).</summary>
public static class JobStateNames
{
    /// <summary>Every state, in lifecycle order.</summary>
    public static IReadOnlyList<JobState> All { get; } =
    [
        JobState.Scheduled, JobState.Available, JobState.Active, JobState.Retrying,
        JobState.Completed, JobState.Dead, JobState.Cancelled,
    ];

    /// <summary>The wire name of a state.</summary>
    public static string ToName(this JobState state) => state switch
    {
        JobState.Scheduled => "scheduled",
        JobState.Available => "available",
        JobState.Active => "active",
        JobState.Retrying => "retrying",
        JobState.Completed => "completed",
        JobState.Dead => "dead",
        JobState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown job state"),
    };

    /// <summary>Parses a wire name (case-insensitive).</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out JobState? state)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToName(), name, StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }

        state = null;
        return false;
    }

    /// <summary>True for states a job leaves only by retention (or an operator retry for dead).</summary>
    public static bool IsTerminal(this JobState state) =>
        state is JobState.Completed or JobState.Dead or JobState.Cancelled;
}
