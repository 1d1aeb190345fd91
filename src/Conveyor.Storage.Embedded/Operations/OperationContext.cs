using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>What a command sees while it runs: the state, the batch's time, and where its events go.</summary>
internal sealed class OperationContext(JobStoreSettings settings, Action<StoreEvent> log)
{
    private const int MinCompactParked = 64;

    private readonly HashSet<string> availableQueues = new(StringComparer.Ordinal);
    private string? lastNotified;
    private int compactParkedAt = MinCompactParked;

    private JobTable table = null!;

    /// <summary>The state; the live table tells <see cref="Waiters"/> when a watched job finishes (also after a reload).</summary>
    public required JobTable Table
    {
        get => table;
        set
        {
            table = value;
            table.Watch = Waiters.Watch;
        }
    }

    /// <summary>Waits for jobs to finish (the writer answers them; see <see cref="WaitForFinishOperation"/>).</summary>
    public JobWaiters Waiters { get; } = new();

    /// <summary>The writer's counters (WAL and snapshots), for the stats read.</summary>
    public Func<StorageCounters>? Counters { get; init; }

    /// <summary>
    /// The most <see cref="JobTable.HeldBytes"/> an enqueue may bring the table to (<see cref="EmbeddedStoreOptions.MemoryBudgetBytes"/>).
    /// </summary>
    public long MemoryBudget { get; init; } = long.MaxValue;

    /// <summary>Whether and when fetches are answered before their fsync.</summary>
    public LazyLeases Lazy { get; init; } = new(enabled: false);

    /// <summary>The batch's time in UTC ticks.</summary>
    public long Now { get; set; }

    public JobStoreSettings Settings { get; } = settings;

    /// <summary>When the store opened, in UTC ticks: schedule ticks due before it were missed while it was down.</summary>
    public long OpenedAt { get; } = settings.Time.GetUtcNow().UtcTicks;

    public IReadOnlyCollection<string> AvailableQueues => availableQueues;

    /// <summary>Fetches waiting for jobs, oldest first (the writer serves them; see <see cref="FetchOperation"/>).</summary>
    public List<FetchOperation> Parked { get; } = [];

    /// <summary>
    /// Whether the running operation has emitted an event (set before the event is applied): from then on the state
    /// may hold part of a change the log does not, so an exception fail-stops the store instead of being answered.
    /// </summary>
    public bool Emitted { get; private set; }

    /// <summary>The writer calls this before each operation runs.</summary>
    public void BeginOperation() => Emitted = false;

    /// <summary>Applies a decided event to the state and appends it to the batch's log records.</summary>
    public void Emit(StoreEvent e)
    {
        Emitted = true;
        EventMetrics.Observe(e, Now);
        Table.Apply(e);
        log(e);
    }

    /// <summary>Notes that jobs became available in <paramref name="queue"/>, so that the batch leases them to the fetches parked on it before its commit.</summary>
    public void NotifyAvailable(string queue)
    {
        // A batch's jobs mostly share their queue: hash it once per run of the same name, not once per job.
        if (!ReferenceEquals(queue, lastNotified))
        {
            availableQueues.Add(queue);
            lastNotified = queue;
        }
    }

    public void ClearNotifications()
    {
        availableQueues.Clear();
        lastNotified = null;
    }

    /// <summary>Holds a fetch that found nothing until a batch makes one of its queues available.</summary>
    public void Park(FetchOperation fetch)
    {
        // Callers that gave up leave their fetch behind; dropping them whenever the list has doubled keeps
        // it at about the number of live long-polls even when no job ever arrives.
        if (Parked.Count >= compactParkedAt)
        {
            Parked.RemoveAll(f => f.IsDone);
            compactParkedAt = Math.Max(MinCompactParked, Parked.Count * 2);
        }

        Parked.Add(fetch);
    }

    /// <summary>Promotes every due scheduled or retrying job (fetches do this first).</summary>
    public int PromoteDue(int max)
    {
        var due = Table.TakeDue(Now, max);
        if (due.Count == 0)
        {
            return 0;
        }

        Emit(new JobsPromoted(Now, [.. due.Select(j => j.Key)]));
        foreach (var job in due)
        {
            NotifyAvailable(job.Queue.Name);
        }

        return due.Count;
    }
}
