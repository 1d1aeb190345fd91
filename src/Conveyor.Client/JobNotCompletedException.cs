using Conveyor.Contracts.Jobs;

namespace Conveyor.Client;

/// <summary>
/// Thrown by <c>WaitForCompletionAsync&lt;TResult&gt;</c> when the job finished without completing (it is <c>dead</c> or
/// <c>cancelled</c>; <see cref="Job"/> says which, with its failures) or is not known to the server (<see cref="Job"/> is null).
/// </summary>
public sealed class JobNotCompletedException : Exception
{
    /// <summary>A job that ended as <paramref name="job"/> shows, or is unknown (null).</summary>
    public JobNotCompletedException(string id, JobView? job)
        : base(job is null ? $"no job with id '{id}'" : $"job '{id}' ended {job.State}, not completed")
    {
        JobId = id;
        Job = job;
    }

    /// <summary>The job id waited on.</summary>
    public string JobId { get; } = string.Empty;

    /// <summary>The job as it ended; null when the server does not know it (never enqueued, or pruned).</summary>
    public JobView? Job { get; }

    public JobNotCompletedException()
        : base("the job did not complete")
    {
    }

    public JobNotCompletedException(string message)
        : base(message)
    {
    }

    public JobNotCompletedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
