namespace Conveyor.Core.Jobs;

/// <summary>Every operation that can move a job. <see cref="JobTransitions"/> says where each is legal.</summary>
public enum JobOperation
{
    /// <summary>A worker leases an available job.</summary>
    Fetch,

    /// <summary>The lease holder reports success.</summary>
    Ack,

    /// <summary>The lease holder reports failure.</summary>
    Fail,

    /// <summary>The lease ran out before an ack or fail (counts as a failed attempt).</summary>
    ExpireLease,

    /// <summary>The lease holder extends its lease.</summary>
    Heartbeat,

    /// <summary>An operator or producer cancels a job that has not finished.</summary>
    Cancel,

    /// <summary>An operator makes a dead or retrying job available now.</summary>
    Retry,

    /// <summary>Maintenance makes a due scheduled or retrying job available.</summary>
    Promote,

    /// <summary>Maintenance removes a finished job whose retention passed.</summary>
    Prune,

    /// <summary>An operator removes the available jobs of a queue.</summary>
    Purge,

    /// <summary>An operator sends a scheduled or retrying job straight to dead (Faktory's MUTATE kill).</summary>
    Kill,

    /// <summary>An operator deletes a job that is not active (Faktory's MUTATE discard and clear, FLUSH).</summary>
    Discard,

    /// <summary>An operator makes a scheduled, retrying or dead job available now (Faktory's MUTATE requeue).</summary>
    Requeue,
}
