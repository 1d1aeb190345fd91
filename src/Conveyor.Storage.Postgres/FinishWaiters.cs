using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// This node's waits for jobs to finish. A wait marks its job watched and reads it in one round trip; the statement that
/// later finishes (or drops) a watched job NOTIFYs its id, and the listener wakes the waits for that id here, on whichever
/// node they wait. A wait also reads again after a long poll (<see cref="PollFactor"/> × the store's poll interval) and
/// whenever the LISTEN connection comes back, for what no notification covers: another node discarding or purging it.
/// </summary>
internal sealed class FinishWaiters(Func<string, CancellationToken, Task<JobInfo?>> watch, TimeProvider time, TimeSpan poll) : IAsyncDisposable
{
    /// <summary>How many store poll intervals a wait sleeps between reads when nothing wakes it.</summary>
    public const int PollFactor = 10;

    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(5);

    private readonly Lock gate = new();
    private readonly Dictionary<string, List<TaskCompletionSource>> byId = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource closing = new();
    private readonly TimeSpan interval = poll * PollFactor;
    private TaskCompletionSource? drained;
    private int active;

    /// <summary>
    /// The job once it is finished, null once it is unknown or gone, or the job as it is when the timeout passes on the
    /// store's clock (or when the store closes).
    /// </summary>
    public async Task<JobInfo?> WaitAsync(JobWait request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var deadline = time.GetUtcNow() + request.Timeout;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(closing.IsCancellationRequested, this);
            active++;
        }

        try
        {
            while (true)
            {
                var signal = Register(request.Id);
                try
                {
                    var job = await watch(request.Id, cancellationToken).ConfigureAwait(false);
                    var remaining = deadline - time.GetUtcNow();
                    if (job is null || job.State.IsTerminal() || remaining <= TimeSpan.Zero || closing.IsCancellationRequested)
                    {
                        return job;
                    }

                    using var sleep = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, closing.Token);
                    await Task.WhenAny(signal.Task, Task.Delay(remaining < interval ? remaining : interval, time, sleep.Token)).ConfigureAwait(false);
                    await sleep.CancelAsync().ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                    if (closing.IsCancellationRequested)
                    {
                        return job;
                    }
                }
                finally
                {
                    Unregister(request.Id, signal);
                }
            }
        }
        finally
        {
            lock (gate)
            {
                if (--active == 0)
                {
                    drained?.TrySetResult();
                }
            }
        }
    }

    /// <summary>Wakes the waits for each of <paramref name="ids"/> (the job finished or went, or may have).</summary>
    public void Wake(IEnumerable<string> ids)
    {
        lock (gate)
        {
            if (byId.Count == 0)
            {
                return;
            }

            foreach (var id in ids)
            {
                if (byId.Remove(id, out var signals))
                {
                    signals.ForEach(s => s.TrySetResult());
                }
            }
        }
    }

    /// <summary>Wakes every wait: each reads its job again.</summary>
    public void WakeAll()
    {
        lock (gate)
        {
            foreach (var signals in byId.Values)
            {
                signals.ForEach(s => s.TrySetResult());
            }

            byId.Clear();
        }
    }

    /// <summary>Ends every wait with its job as last read, and waits (briefly) for those reading to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        Task done;
        lock (gate)
        {
            if (closing.IsCancellationRequested)
            {
                return;
            }

            closing.Cancel();
            drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            done = active == 0 ? Task.CompletedTask : drained.Task;
        }

        WakeAll();
        try
        {
            await done.WaitAsync(CloseWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A read still stuck on the database: it ends with an error once the pool closes.
        }
    }

    private TaskCompletionSource Register(string id)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (!byId.TryGetValue(id, out var signals))
            {
                byId[id] = signals = [];
            }

            signals.Add(signal);
        }

        return signal;
    }

    private void Unregister(string id, TaskCompletionSource signal)
    {
        lock (gate)
        {
            if (byId.TryGetValue(id, out var signals) && signals.Remove(signal) && signals.Count == 0)
            {
                byId.Remove(id);
            }
        }
    }
}
