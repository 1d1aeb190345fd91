using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// This node's waiting fetches, served in the order they came by one dispatcher loop. A pass leases for each open fetch
/// whose queues were woken: by this node's own writes (which await the pass, so their jobs reach the waiting fetches
/// before the write answers), by a NOTIFY from another node, or by the poll that catches what a lost notification missed.
/// </summary>
internal sealed class FetchWaiters : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly List<FetchWaiter> waiting = [];
    private readonly SemaphoreSlim signal = new(0, 1);
    private readonly CancellationTokenSource stop = new();
    private readonly Func<JobFetch, Task<IReadOnlyList<JobInfo>>> lease;
    private readonly TimeProvider time;
    private readonly TimeSpan poll;
    private readonly Task loop;
    private HashSet<string> woken = new(StringComparer.Ordinal);
    private bool wokenAll;
    private TaskCompletionSource nextPass = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool closed;

    public FetchWaiters(Func<JobFetch, Task<IReadOnlyList<JobInfo>>> lease, TimeProvider time, TimeSpan poll)
    {
        this.lease = lease;
        this.time = time;
        this.poll = poll;
        loop = Task.Run(RunAsync);
    }

    /// <summary>Waits (on the store's clock) for jobs for <paramref name="request"/>.</summary>
    public async Task<IReadOnlyList<JobInfo>> WaitAsync(JobFetch request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var waiter = new FetchWaiter(request);
        lock (gate)
        {
            if (closed)
            {
                return [];
            }

            waiting.Add(waiter);
        }

        _ = Wake(request.Queues);
        using (time.CreateTimer(_ => waiter.GiveUp(1), null, request.Wait, Timeout.InfiniteTimeSpan))
        using (cancellationToken.Register(() => waiter.GiveUp(2)))
        {
            var jobs = await waiter.Answer.ConfigureAwait(false);
            Remove(waiter);
            if (jobs.Count == 0 && waiter.GaveUp == 2)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            return jobs;
        }
    }

    /// <summary>
    /// Jobs may be available in <paramref name="queues"/>: the returned task completes when a pass that started after this
    /// call has served the waiting fetches (at once when none waits).
    /// </summary>
    public Task Wake(IEnumerable<string> queues)
    {
        lock (gate)
        {
            if (waiting.Count == 0 || closed)
            {
                return Task.CompletedTask;
            }

            woken.UnionWith(queues);
            return SignalLocked();
        }
    }

    /// <summary>Anything may be available (after a reconnect).</summary>
    public Task WakeAll()
    {
        lock (gate)
        {
            if (waiting.Count == 0 || closed)
            {
                return Task.CompletedTask;
            }

            wokenAll = true;
            return SignalLocked();
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<FetchWaiter> left;
        lock (gate)
        {
            closed = true;
            left = [.. waiting];
        }

        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Closing.
        }

        foreach (var waiter in left)
        {
            waiter.Finish([], closing: true);
        }

        lock (gate)
        {
            nextPass.TrySetResult();
        }

        stop.Dispose();
        signal.Dispose();
    }

    private Task SignalLocked()
    {
        if (signal.CurrentCount == 0)
        {
            signal.Release();
        }

        return nextPass.Task;
    }

    private void Remove(FetchWaiter waiter)
    {
        lock (gate)
        {
            waiting.Remove(waiter);
        }
    }

    private async Task RunAsync()
    {
        var token = stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var signalled = await signal.WaitAsync(poll, token).ConfigureAwait(false);
                FetchWaiter[] snapshot;
                HashSet<string> queues;
                bool all;
                TaskCompletionSource pass;
                lock (gate)
                {
                    waiting.RemoveAll(w => w.IsDone);
                    snapshot = [.. waiting];
                    (queues, woken) = (woken, new HashSet<string>(StringComparer.Ordinal));
                    all = wokenAll || !signalled;
                    wokenAll = false;
                    (pass, nextPass) = (nextPass, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                }

                try
                {
                    await PassAsync(snapshot, queues, all).ConfigureAwait(false);
                }
                finally
                {
                    // A write waiting for this pass is answered whatever became of it.
                    pass.TrySetResult();
                }
            }
        }
        finally
        {
            lock (gate)
            {
                closed = true;
                nextPass.TrySetResult();
            }
        }
    }

    private async Task PassAsync(FetchWaiter[] snapshot, HashSet<string> queues, bool all)
    {
        var exhausted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var waiter in snapshot)
        {
            var wanted = waiter.Request.Queues;
            if (!all && !wanted.Any(queues.Contains))
            {
                continue;
            }

            if (wanted.All(exhausted.Contains) || !waiter.TryClaim())
            {
                continue;
            }

            IReadOnlyList<JobInfo> jobs;
            try
            {
                jobs = await lease(waiter.Request).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                waiter.Fail(e);
                continue;
            }

            if (jobs.Count < waiter.Request.Max)
            {
                exhausted.UnionWith(wanted);
            }

            if (waiter.Finish(jobs, closing: false))
            {
                Remove(waiter);
            }
        }
    }
}
