using Conveyor.Broker;
using Conveyor.Contracts.Jobs;
using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;

namespace Conveyor.Server.Mapping;

/// <summary>Wire job → <see cref="JobSpec"/>: resolves defaults, <c>delay_ms</c> and <c>backoff</c>. The broker validates the rest.</summary>
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

        return new JobSpec
        {
            Id = request.Id,
            Queue = request.Queue ?? JobDefaults.Queue,
            Type = request.Type ?? string.Empty,
            Args = request.Args.Utf8.IsEmpty || request.Args.Utf8.Span.SequenceEqual(JobDefaults.EmptyArgs.Span) ? JobDefaults.EmptyArgs : request.Args.Utf8,
            Priority = request.Priority ?? JobDefaults.Priority,
            RunAt = request.DelayMs is { } delay ? now.AddMilliseconds(delay) : request.RunAt,
            MaxAttempts = request.MaxAttempts ?? JobDefaults.MaxAttempts,
            Dead = request.Dead ?? true,
            LeaseSeconds = request.LeaseSeconds ?? JobDefaults.LeaseSeconds,
            UniqueKey = request.UniqueKey,
            UniqueForSeconds = request.UniqueForSeconds ?? 0,
            Tags = request.Tags ?? [],
            Meta = request.Meta ?? JobDefaults.EmptyMeta,
            Backoff = backoff.Value,
        };
    }
}
