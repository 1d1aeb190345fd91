using Conveyor.Broker;
using Conveyor.Contracts.Jobs;
using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;

namespace Conveyor.Server.Mapping;

/// <summary>
/// Wire job → <see cref="JobSpec"/>: resolves defaults, <c>delay_ms</c>, <c>backoff</c>, <c>unique_until</c> and <c>unique_by_args</c>
/// (the key derived here). The broker validates the rest.
/// </summary>
internal static class JobSpecMapping
{
    private const long MaxDelayMs = 365L * 24 * 3600 * 1000;

    public static JobSpec ToSpec(EnqueueRequest? request, DateTimeOffset now, int? index = null)
    {
        if (request is null)
        {
            throw new RequestRejectedException("jobs", "each job must be an object", index);
        }

        if (request.RunAt is not null && request.DelayMs is not null)
        {
            throw new RequestRejectedException("delay_ms", "give delay_ms or run_at, not both", index);
        }

        if (request.DelayMs is < 0 or > MaxDelayMs)
        {
            throw new RequestRejectedException("delay_ms", $"must be 0–{MaxDelayMs}", index);
        }

        if (!Backoff.TryParse(request.Backoff, out var backoff))
        {
            throw new RequestRejectedException("backoff", "must be 'exponential' or 'fixed:SECONDS'", index);
        }

        if (!UniqueModeNames.TryParse(request.UniqueUntil, out var uniqueMode))
        {
            throw new RequestRejectedException("unique_until", "must be 'finished', 'started' or 'completed'", index);
        }

        if (request.UniqueByArgs is true && request.UniqueKey is not null)
        {
            throw new RequestRejectedException("unique_by_args", "give unique_key or unique_by_args, not both", index);
        }

        var queue = request.Queue ?? JobDefaults.Queue;
        var type = request.Type ?? string.Empty;
        var args = request.Args.Utf8.IsEmpty || request.Args.Utf8.Span.SequenceEqual(JobDefaults.EmptyArgs.Span) ? JobDefaults.EmptyArgs : request.Args.Utf8;
        return new JobSpec
        {
            Id = request.Id,
            Queue = queue,
            Type = type,
            Args = args,
            Priority = request.Priority ?? JobDefaults.Priority,
            RunAt = request.DelayMs is { } delay ? now.AddMilliseconds(delay) : request.RunAt,
            MaxAttempts = request.MaxAttempts ?? JobDefaults.MaxAttempts,
            Dead = request.Dead ?? true,
            LeaseSeconds = request.LeaseSeconds ?? JobDefaults.LeaseSeconds,
            UniqueKey = request.UniqueByArgs is true ? UniqueKeys.ByArgs(queue, type, args) : request.UniqueKey,
            UniqueForSeconds = request.UniqueForSeconds ?? 0,
            UniqueMode = uniqueMode,
            TimeoutSeconds = request.TimeoutSeconds,
            Tags = request.Tags ?? [],
            Meta = request.Meta ?? JobDefaults.EmptyMeta,
            Backoff = backoff.Value,
        };
    }
}
