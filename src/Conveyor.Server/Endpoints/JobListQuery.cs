using Conveyor.Broker;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;

namespace Conveyor.Server.Endpoints;

/// <summary>The job list's filters as the API takes them (query strings, or a bulk operation's filter), checked into a <see cref="JobList"/>.</summary>
internal static class JobListQuery
{
    /// <summary>The longest filter text taken; longer ones can match no name (names are at most 256 chars).</summary>
    private const int MaxFilterLength = 256;

    /// <exception cref="RequestRejectedException">A value is not usable (422, or 413 when too long).</exception>
    public static JobList Parse(
        string? state, string? queue, string? type, int limit, string? cursor, string? tag, string? idPrefix, DateTimeOffset? from, DateTimeOffset? to)
    {
        JobState? stateFilter = null;
        if (!string.IsNullOrEmpty(state))
        {
            stateFilter = JobStateNames.TryParse(state, out var parsed)
                ? parsed
                : throw new RequestRejectedException("state", $"must be one of {string.Join(", ", JobStateNames.All.Select(s => s.ToName()))}");
        }

        if (from is { } f && to is { } t && f >= t)
        {
            throw new RequestRejectedException("to", "must be later than from");
        }

        return new JobList(stateFilter, Text("queue", queue), Text("type", type), limit, NullIfEmpty(cursor))
        {
            Tag = Text("tag", tag),
            IdPrefix = Text("id_prefix", idPrefix),
            CreatedFrom = from,
            CreatedTo = to,
        };
    }

    private static string? Text(string field, string? value) =>
        value is { Length: > MaxFilterLength }
            ? throw new RequestRejectedException(field, $"must be at most {MaxFilterLength} characters", tooLarge: true)
            : NullIfEmpty(value);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
