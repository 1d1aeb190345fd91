using Conveyor.Contracts.Jobs;

namespace Conveyor.Client.Worker;

/// <summary>How long an attempt may run before the worker cancels it and fails it with <c>Timeout</c>.</summary>
internal static class AttemptTimeout
{
    /// <summary>The job's own <c>timeout_seconds</c> when it has one, else its handler's (registration, then type policy); null: none.</summary>
    public static TimeSpan? Of(JobView job, TimeSpan? handlerTimeout) =>
        job.TimeoutSeconds is { } seconds && seconds > 0 ? TimeSpan.FromSeconds(seconds) : handlerTimeout;
}
