namespace Conveyor.Core.Jobs;

/// <summary>
/// How long a job holds its unique key (<see cref="JobSpec.UniqueKey"/>), always within <see cref="JobSpec.UniqueForSeconds"/>
/// when that is set. Persisted as its number: never renumber.
/// </summary>
public enum UniqueMode : byte
{
    /// <summary>While the job is unfinished: scheduled, available, active or retrying (the default).</summary>
    UntilFinished = 0,

    /// <summary>Until the job is first leased: while it is scheduled or available and has not started an attempt.</summary>
    UntilStarted = 1,

    /// <summary>
    /// Until the job completes: through retries and also while dead (Faktory Enterprise's <c>unique_until: success</c>);
    /// released when it completes, is cancelled or is removed.
    /// </summary>
    UntilCompleted = 2,
}
