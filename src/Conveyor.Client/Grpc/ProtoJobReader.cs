using Conveyor.Client.Grpc.V1;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;

namespace Conveyor.Client.Grpc;

/// <summary>A job pushed on the Work stream → the <see cref="JobView"/> the worker runs, as the HTTP API would have sent it.</summary>
internal static class ProtoJobReader
{
    private static readonly string[] StateNames = ["", "scheduled", "available", "active", "retrying", "completed", "dead", "cancelled"];

    public static JobView ToView(Job job) => new()
    {
        Id = job.Id,
        Queue = job.Queue,
        Type = job.Type,
        Args = job.Args.IsEmpty ? RawJson.EmptyArray : new RawJson(job.Args.Memory),
        Priority = job.Priority,
        State = (int)job.State is var s && s > 0 && s < StateNames.Length ? StateNames[s] : "active",
        Attempt = job.Attempt,
        MaxAttempts = job.MaxAttempts,
        Dead = job.Dead,
        LeaseSeconds = job.LeaseSeconds,
        TimeoutSeconds = job.HasTimeoutSeconds ? job.TimeoutSeconds : null,
        CreatedAt = job.CreatedAt?.ToDateTimeOffset() ?? default,
        RunAt = job.RunAt?.ToDateTimeOffset(),
        FinishedAt = job.FinishedAt?.ToDateTimeOffset(),
        UniqueKey = job.HasUniqueKey ? job.UniqueKey : null,
        UniqueUntil = job.HasUniqueUntil ? job.UniqueUntil : null,
        Tags = [.. job.Tags],
        Meta = new Dictionary<string, string>(job.Meta, StringComparer.Ordinal),
        Backoff = job.Backoff,
        Failures = [.. job.Failures.Select(f => new FailureView(f.Attempt, f.At?.ToDateTimeOffset() ?? default, f.ErrorType, f.Message, [.. f.Backtrace]))],
        Lease = job.Lease is { } lease
            ? new LeaseView(lease.Token, lease.HasWorkerId ? lease.WorkerId : null, lease.ExpiresAt?.ToDateTimeOffset() ?? default)
            : null,
        Progress = job.Progress is { } progress
            ? new ProgressView(progress.Percent, progress.HasMessage ? progress.Message : null, progress.UpdatedAt?.ToDateTimeOffset() ?? default)
            : null,
        Result = job.Result.IsEmpty ? null : new RawJson(job.Result.Memory),
    };
}
