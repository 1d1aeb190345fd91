using System.Collections.Concurrent;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>Events: <see cref="IJobStore.JobsAvailable"/> names the queue whenever jobs become fetchable.</summary>
public abstract class EventsConformance : StoreConformanceBase
{
    /// <summary>A store may raise the event from its own thread; this is only a guard against hanging.</summary>
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task JobsAvailable_EnqueueAvailable_RaisedWithQueue()
    {
        using var events = Listen("wakes");

        await EnqueueAsync("wakes");

        await events.WaitAsync();
    }

    [Fact]
    public async Task JobsAvailable_Promote_RaisedWithQueue()
    {
        await EnqueueAsync(Spec(queue: "later") with { RunAt = Now.AddSeconds(10) });
        using var events = Listen("later");
        Time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(1, await Store.PromoteAsync(new JobsPromote(), Ct));

        await events.WaitAsync();
    }

    [Fact]
    public async Task JobsAvailable_Retry_RaisedWithQueue()
    {
        var (id, _) = await PutInStateAsync(JobState.Dead, "retried");
        using var events = Listen("retried");

        Assert.Equal(CommandStatus.Ok, (await Store.RetryAsync(new JobRetry(id), Ct)).Status);

        await events.WaitAsync();
    }

    [Fact]
    public async Task JobsAvailable_Resume_RaisedWithQueue()
    {
        await Store.QueuePauseAsync(new QueuePause("held"), Ct);
        await EnqueueAsync("held");
        using var events = Listen("held");

        await Store.QueueResumeAsync(new QueueResume("held"), Ct);

        await events.WaitAsync();
    }

    private Listener Listen(string queue) => new(Store, queue);

    /// <summary>Records the queues the store announces until disposed.</summary>
    private sealed class Listener : IDisposable
    {
        private readonly IJobStore store;
        private readonly string queue;
        private readonly ConcurrentQueue<string> seen = new();
        private readonly TaskCompletionSource raised = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Listener(IJobStore store, string queue)
        {
            this.store = store;
            this.queue = queue;
            store.JobsAvailable += OnJobsAvailable;
        }

        public async Task WaitAsync()
        {
            try
            {
                await raised.Task.WaitAsync(EventTimeout, Ct);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"JobsAvailable was not raised for '{queue}'; saw [{string.Join(", ", seen)}]");
            }
        }

        public void Dispose() => store.JobsAvailable -= OnJobsAvailable;

        private void OnJobsAvailable(IReadOnlyCollection<string> queues)
        {
            foreach (var name in queues)
            {
                seen.Enqueue(name);
            }

            if (queues.Contains(queue))
            {
                raised.TrySetResult();
            }
        }
    }
}
