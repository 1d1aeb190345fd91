using Conveyor.Core.Retry;
using Conveyor.Storage.Embedded.Events;

namespace Conveyor.Storage.Embedded.Tests.State;

/// <summary>New jobs for the job-table tests, which apply events to a table directly.</summary>
internal static class TableJobs
{
    /// <summary>A fixed time (UTC ticks) for the events.</summary>
    public const long At = 638_000_000_000_000_000;

    /// <summary>A job with args <c>[]</c>, priority 5, 3 attempts and a 10-second lease; available unless <paramref name="runAt"/> is set.</summary>
    public static NewJob Job(string id, string queue = "q", long runAt = 0, bool discardWhenDead = false, string[]? tags = null, KeyValuePair<string, string>[]? meta = null) =>
        new(id, queue, "t", "[]"u8.ToArray(), 5, 3, 10, runAt, null, 0, tags ?? [], meta ?? [], Backoff.Exponential, discardWhenDead);
}
