namespace Conveyor.Storage.Embedded.State;

/// <summary>
/// The queues by name. A struct held in a field of <see cref="JobTable"/> and changed in place: every enqueued job
/// looks its queue up here.
/// </summary>
internal struct QueueDirectory()
{
    private readonly Dictionary<string, QueueState> queues = new(StringComparer.Ordinal);

    /// <summary>Stand-ins for removed queues that loaded jobs name (<see cref="Removed"/>); small, and only filled on load.</summary>
    private readonly Dictionary<string, QueueState> removed = new(StringComparer.Ordinal);
    private string? lastName;
    private QueueState? last;

    public readonly IReadOnlyCollection<QueueState> All => queues.Values;

    public readonly QueueState? Find(string name) => queues.GetValueOrDefault(name);

    public QueueState GetOrAdd(string name)
    {
        // A batch's jobs mostly name one queue with one string: skip the lookup for a run of them.
        if (last is { } queue && ReferenceEquals(name, lastName))
        {
            return queue;
        }

        if (!queues.TryGetValue(name, out queue))
        {
            queue = new QueueState(name);
            queues.Add(name, queue);
        }

        (lastName, last) = (name, queue);
        return queue;
    }

    /// <summary>Forgets a queue; the jobs that still point at it (finished ones) see it as removed.</summary>
    public void Remove(string name)
    {
        if (queues.Remove(name, out var queue))
        {
            queue.Removed = true;
            if (ReferenceEquals(queue, last))
            {
                (lastName, last) = (null, null);
            }
        }
    }

    /// <summary>
    /// A removed queue for the jobs that name a queue no longer listed (a snapshot's finished jobs), one per name.
    /// </summary>
    public readonly QueueState Removed(string name)
    {
        if (!removed.TryGetValue(name, out var queue))
        {
            queue = new QueueState(name) { Removed = true };
            removed.Add(name, queue);
        }

        return queue;
    }

    /// <summary>Forgets every queue (a flush).</summary>
    public void Clear()
    {
        queues.Clear();
        removed.Clear();
        (lastName, last) = (null, null);
    }
}
