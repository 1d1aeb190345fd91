using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Core.Jobs;

namespace Conveyor.Server.Mapping;

/// <summary><see cref="JobInfo"/> → wire job view.</summary>
internal static class JobViewMapping
{
    public static JobView ToView(this JobInfo job) => new()
    {
        Id = job.Id,
        Queue = job.Queue,
        Type = job.Type,
        Args = new RawJson(job.Args),
        Priority = job.Priority,
        State = job.State.ToName(),
        Attempt = job.Attempt,
        MaxAttempts = job.MaxAttempts,
        Dead = job.Dead,
        LeaseSeconds = job.LeaseSeconds,
        TimeoutSeconds = job.TimeoutSeconds,
        CreatedAt = job.CreatedAt,
        RunAt = job.RunAt,
        FinishedAt = job.FinishedAt,
        UniqueKey = job.UniqueKey,
        UniqueUntil = job.UniqueKey is null || job.UniqueMode == UniqueMode.UntilFinished ? null : UniqueModeNames.Name(job.UniqueMode),
        Tags = job.Tags,
        Meta = job.Meta,
        Backoff = job.Backoff.ToString(),
        Failures = [.. job.Failures.Select(f => new FailureView(f.Attempt, f.At, f.ErrorType, f.Message, f.Backtrace))],
        Lease = job.Lease is { } lease ? new LeaseView(lease.Token, lease.WorkerId, lease.ExpiresAt) : null,
        Progress = job.Progress is { } progress ? new ProgressView(progress.Percent, progress.Message, progress.UpdatedAt) : null,
        Result = job.Result is { } result ? new RawJson(result) : null,
    };

    public static IReadOnlyList<JobView> ToViews(this IReadOnlyList<JobInfo> jobs) => [.. jobs.Select(ToView)];
}
