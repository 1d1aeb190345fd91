namespace Conveyor.Engine;

/// <summary>
/// Long-polling fetchers waiting for work. A waiter registers before it looks at the store, so an
/// enqueue that commits between its empty fetch and its wait still wakes it.
/// </summary>
internal sealed class FetchWaiters
{
    private readonly Lock gate = new();
    private readonly HashSet<Waiter> waiters = [];

    public Waiter Register(IReadOnlyList<string> queues)
    {
        var waiter = new Waiter(queues);
        lock (gate)
        {
            waiters.Add(waiter);
        }

        return waiter;
    }

    public void Unregister(Waiter waiter)
    {
        lock (gate)
        {
            waiters.Remove(waiter);
        }
    }

    /// <summary>Wakes every waiter that listens on one of <paramref name="queues"/>.</summary>
    public void Notify(IReadOnlyCollection<string> queues)
    {
        lock (gate)
        {
            foreach (var waiter in waiters)
            {
                foreach (var queue in waiter.Queues)
                {
                    if (queues.Contains(queue))
                    {
                        waiter.Wake();
                        break;
                    }
                }
            }
        }
    }

    /// <summary>Wakes everyone (shutdown).</summary>
    public void WakeAll()
    {
        lock (gate)
        {
            foreach (var waiter in waiters)
            {
                waiter.Wake();
            }
        }
    }

    internal sealed class Waiter(IReadOnlyList<string> queues)
    {
        private readonly TaskCompletionSource signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<string> Queues { get; } = queues;

        public Task Signalled => signal.Task;

        public void Wake() => signal.TrySetResult();
    }
}
