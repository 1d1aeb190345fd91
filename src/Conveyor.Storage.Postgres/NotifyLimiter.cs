using Microsoft.Extensions.Logging;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// Rate-limits this node's NOTIFYs for new jobs: per queue, at most one per interval. The first enqueue of an interval
/// notifies inside its own transaction (<see cref="Take"/>); the ones the limit holds back commit silently and then ask
/// for a trailing NOTIFY (<see cref="Trail"/>), sent once at the end of the interval on a connection of its own, so a
/// burst costs two NOTIFYs per interval however many transactions it has, and a fetch waiting on another node is still
/// woken after the last of them committed. A trailing NOTIFY that cannot be sent is left to the waiters' poll.
/// </summary>
internal sealed partial class NotifyLimiter : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, DateTimeOffset> lastSent = new(StringComparer.Ordinal);
    private readonly HashSet<string> trailing = new(StringComparer.Ordinal);
    private readonly HashSet<Task> sending = [];
    private readonly Func<IReadOnlyCollection<string>, Task> send;
    private readonly TimeProvider time;
    private readonly TimeSpan interval;
    private readonly ILogger logger;
    private readonly ITimer timer;
    private DateTimeOffset? armedFor;
    private bool closed;

    /// <param name="send">Sends one NOTIFY per queue, outside any transaction.</param>
    /// <param name="time">The clock the interval is measured on.</param>
    /// <param name="interval">At most one NOTIFY per queue per this long; zero turns the limit off.</param>
    /// <param name="logger">Where a trailing NOTIFY that could not be sent is reported.</param>
    public NotifyLimiter(Func<IReadOnlyCollection<string>, Task> send, TimeProvider time, TimeSpan interval, ILogger logger)
    {
        this.send = send;
        this.time = time;
        this.interval = interval;
        this.logger = logger;
        timer = time.CreateTimer(_ => Flush(all: false), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Which of <paramref name="queues"/> a transaction about to commit notifies itself: those not notified within the
    /// interval. The caller asks <see cref="Trail"/> for the rest once it has committed.
    /// </summary>
    public IReadOnlyCollection<string> Take(IReadOnlyCollection<string> queues)
    {
        if (interval <= TimeSpan.Zero)
        {
            return queues;
        }

        var now = time.GetUtcNow();
        var taken = new List<string>(queues.Count);
        lock (gate)
        {
            foreach (var queue in queues)
            {
                if (!lastSent.TryGetValue(queue, out var last) || now - last >= interval)
                {
                    lastSent[queue] = now;
                    taken.Add(queue);
                }
            }
        }

        return taken;
    }

    /// <summary>
    /// <paramref name="queues"/> got jobs in a transaction that has committed without notifying them: each gets one NOTIFY
    /// at the end of its interval (one for all the transactions that ask meanwhile), sent after this call.
    /// </summary>
    public void Trail(IEnumerable<string> queues)
    {
        lock (gate)
        {
            if (closed)
            {
                return;
            }

            var added = false;
            foreach (var queue in queues)
            {
                added |= trailing.Add(queue);
            }

            if (added)
            {
                ArmLocked();
            }
        }
    }

    /// <summary>Sends the trailing NOTIFYs still waiting for their interval, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        Flush(all: true);
        Task[] left;
        lock (gate)
        {
            closed = true;
            left = [.. sending];
        }

        await timer.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(left).ConfigureAwait(false);
    }

    private void ArmLocked()
    {
        var due = DateTimeOffset.MaxValue;
        foreach (var queue in trailing)
        {
            var at = lastSent.TryGetValue(queue, out var last) ? last + interval : DateTimeOffset.MinValue;
            due = at < due ? at : due;
        }

        if (trailing.Count == 0 || (armedFor is { } armed && armed <= due))
        {
            return;
        }

        armedFor = due;
        var wait = due - time.GetUtcNow();
        timer.Change(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private void Flush(bool all)
    {
        List<string> due = [];
        lock (gate)
        {
            armedFor = null;
            var now = time.GetUtcNow();
            foreach (var queue in trailing)
            {
                if (all || !lastSent.TryGetValue(queue, out var last) || now - last >= interval)
                {
                    due.Add(queue);
                    lastSent[queue] = now;
                }
            }

            trailing.ExceptWith(due);
            ArmLocked();
            if (due.Count == 0)
            {
                return;
            }

            sending.RemoveWhere(t => t.IsCompleted);
            sending.Add(Task.Run(() => SendAsync(due)));
        }
    }

    private async Task SendAsync(List<string> queues)
    {
        try
        {
            await send(queues).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogTrailingFailed(logger, queues.Count, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "trailing NOTIFY for {Count} queues not sent ({Reason}); their waiting fetches poll")]
    private static partial void LogTrailingFailed(ILogger logger, int count, string reason);
}
