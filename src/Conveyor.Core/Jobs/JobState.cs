namespace Conveyor.Core.Jobs;

/// <summary>Where a job is in its lifecycle. A job is in exactly one state at a time.</summary>
/// <remarks>The numeric values are persisted by the stores; never renumber them.</remarks>
public enum JobState : byte
{
    /// <summary>Enqueued with a future run time; promoted to <see cref="Available"/> when it is due.</summary>
    Scheduled = 1,

    /// <summary>Ready to be fetched by a worker.</summary>
    Available = 2,

    /// <summary>Leased to one worker until the lease expires.</summary>
    Active = 3,

    /// <summary>Failed with attempts left; becomes <see cref="Available"/> after its back-off.</summary>
    Retrying = 4,

    /// <summary>Acknowledged by the worker that held the current lease. Terminal.</summary>
    Completed = 5,

    /// <summary>Failed with no attempts left. Terminal until an operator retries it.</summary>
    Dead = 6,

    /// <summary>Cancelled before completion. Terminal.</summary>
    Cancelled = 7,
}
