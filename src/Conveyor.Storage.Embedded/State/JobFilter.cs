using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;

namespace Conveyor.Storage.Embedded.State;

/// <summary>The filters of a <see cref="JobList"/>, checked against one job at a time (the state is also used to skip blocks).</summary>
internal readonly struct JobFilter(JobList request)
{
    private readonly long from = request.CreatedFrom is { } f ? Ticks.From(f) : long.MinValue;
    private readonly long to = request.CreatedTo is { } t ? Ticks.From(t) : long.MaxValue;

    public bool Matches(JobEntry job) =>
        (request.State is null || job.State == request.State)
        && (request.Queue is null || job.Queue.Name == request.Queue)
        && (request.Type is null || job.Type == request.Type)
        && job.CreatedAt >= from && job.CreatedAt < to
        && (request.Tag is null || Array.IndexOf(job.Tags, request.Tag) >= 0)
        && (request.IdPrefix is null || HasPrefix(job.Key, request.IdPrefix));

    private static bool HasPrefix(JobKey key, string prefix) =>
        key.ToString().StartsWith(prefix, StringComparison.Ordinal);
}
