namespace Conveyor.Core.Jobs;

/// <summary>
/// The one place that says which operation is legal from which state, and where it leads.
/// Every store consults it; the lifecycle table in docs/job-states.md is this table.
/// </summary>
public static class JobTransitions
{
    private static readonly Dictionary<JobOperation, JobState[]> LegalFrom = new()
    {
        [JobOperation.Fetch] = [JobState.Available],
        [JobOperation.Ack] = [JobState.Active],
        [JobOperation.Fail] = [JobState.Active],
        [JobOperation.ExpireLease] = [JobState.Active],
        [JobOperation.Heartbeat] = [JobState.Active],
        [JobOperation.Cancel] = [JobState.Scheduled, JobState.Available, JobState.Active, JobState.Retrying],
        [JobOperation.Retry] = [JobState.Dead, JobState.Retrying],
        [JobOperation.Promote] = [JobState.Scheduled, JobState.Retrying],
        [JobOperation.Prune] = [JobState.Completed, JobState.Dead, JobState.Cancelled],
        [JobOperation.Purge] = [JobState.Available],
        [JobOperation.Kill] = [JobState.Scheduled, JobState.Retrying],
        [JobOperation.Discard] = [JobState.Scheduled, JobState.Available, JobState.Retrying, JobState.Completed, JobState.Dead, JobState.Cancelled],
        [JobOperation.Requeue] = [JobState.Scheduled, JobState.Retrying, JobState.Dead],
    };

    /// <summary>True when <paramref name="operation"/> may be applied to a job in <paramref name="state"/>.</summary>
    public static bool IsLegal(JobState state, JobOperation operation) =>
        Array.IndexOf(LegalFrom[operation], state) >= 0;

    /// <summary>The states <paramref name="operation"/> may be applied in.</summary>
    public static IReadOnlyList<JobState> LegalStates(JobOperation operation) => LegalFrom[operation];

    /// <summary>
    /// Where a legal operation leads. <see cref="JobOperation.Fail"/> and <see cref="JobOperation.ExpireLease"/>
    /// lead to <see cref="JobState.Retrying"/> or <see cref="JobState.Dead"/> (see <see cref="Retry.FailureDecision"/>);
    /// <see cref="JobOperation.Prune"/>, <see cref="JobOperation.Purge"/> and <see cref="JobOperation.Discard"/> remove the job and return null.
    /// </summary>
    public static JobState? Target(JobOperation operation, bool attemptsLeft = true) => operation switch
    {
        JobOperation.Fetch => JobState.Active,
        JobOperation.Ack => JobState.Completed,
        JobOperation.Fail or JobOperation.ExpireLease => attemptsLeft ? JobState.Retrying : JobState.Dead,
        JobOperation.Heartbeat => JobState.Active,
        JobOperation.Cancel => JobState.Cancelled,
        JobOperation.Retry or JobOperation.Promote or JobOperation.Requeue => JobState.Available,
        JobOperation.Kill => JobState.Dead,
        JobOperation.Prune or JobOperation.Purge or JobOperation.Discard => null,
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "unknown operation"),
    };

    /// <summary>A sentence for an illegal transition, naming the states where it would be legal.</summary>
    public static string Describe(JobState state, JobOperation operation)
    {
        var verb = operation switch
        {
            JobOperation.ExpireLease => "expire the lease of",
            _ => operation.ToString().ToLowerInvariant(),
        };
        var legal = string.Join(", ", LegalFrom[operation].Select(s => s.ToName()));
        return $"cannot {verb} a job that is {state.ToName()}; {operation.ToString().ToLowerInvariant()} applies to {legal} jobs";
    }
}
