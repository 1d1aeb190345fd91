using Conveyor.Core.Jobs;

namespace Conveyor.Core.Retry;

/// <summary>What a failed attempt leads to: retrying at a time, or dead.</summary>
/// <param name="Next">Either <see cref="JobState.Retrying"/> or <see cref="JobState.Dead"/>.</param>
/// <param name="RunAt">When a retrying job becomes available again; null for dead.</param>
public readonly record struct FailureDecision(JobState Next, DateTimeOffset? RunAt)
{
    /// <summary>The jitter range of the exponential back-off (0..29).</summary>
    public const int JitterRange = 30;

    /// <summary>
    /// Decides the outcome of the failure of attempt <paramref name="attempt"/> (1-based) of a job that may
    /// run <paramref name="maxAttempts"/> times. <paramref name="retryIn"/>, when given by the worker,
    /// replaces the back-off; <paramref name="retry"/> false (the worker's permanent failure) skips the attempts left.
    /// </summary>
    public static FailureDecision For(
        int attempt, int maxAttempts, Backoff backoff, DateTimeOffset now, TimeSpan? retryIn, Random random, bool retry = true)
    {
        if (attempt >= maxAttempts || !retry)
        {
            return new FailureDecision(JobState.Dead, null);
        }

        var delay = retryIn ?? backoff.DelayAfter(attempt - 1, random.Next(JitterRange));
        return new FailureDecision(JobState.Retrying, now + delay);
    }
}
