using System.Collections.Concurrent;
using Conveyor.Contracts.Jobs;
using Microsoft.Extensions.Logging;

namespace Conveyor.Client.Worker;

/// <summary>
/// Works one queue: long-polls for as many jobs as it has free slots (so at most its concurrency run at once),
/// runs each on the thread pool, and hands the outcome to the <see cref="Settler"/>.
/// </summary>
internal sealed class QueueWorker
{
    private static readonly TimeSpan MaxFetchRetryDelay = TimeSpan.FromSeconds(5);
    private readonly string queue;
    private readonly SemaphoreSlim slots;
    // Keyed by lease, not by job id: a job whose lease expired mid-run can be leased to this same worker again while the
    // first attempt still runs, and shutdown must wait for (or abandon) both attempts, each settled with its own token.
    private readonly ConcurrentDictionary<(string Id, string Token), RunningJob> running = new();
    private readonly IWorkerTransport api;
    private readonly JobRunner runner;
    private readonly LeaseKeeper leases;
    private readonly LeaseChecker checker;
    private readonly Settler settler;
    private readonly ConveyorWorkerOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    public QueueWorker(string queue, int concurrency, IWorkerTransport api, JobRunner runner, LeaseKeeper leases, LeaseChecker checker, Settler settler,
        ConveyorWorkerOptions options, TimeProvider time, ILogger logger)
    {
        this.queue = queue;
        slots = new SemaphoreSlim(concurrency, concurrency);
        this.api = api;
        this.runner = runner;
        this.leases = leases;
        this.checker = checker;
        this.settler = settler;
        this.options = options;
        this.time = time;
        this.logger = logger;
    }

    public int RunningCount => running.Count;

    /// <summary>Fetches until <paramref name="stopFetching"/>; an in-flight fetch is let finish (its jobs are handed back) unless <paramref name="abort"/> fires.</summary>
    public async Task FetchLoopAsync(CancellationToken stopFetching, CancellationToken abort)
    {
        var retryDelay = TimeSpan.FromMilliseconds(100);
        while (!stopFetching.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stopFetching).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var taken = 1;
            while (taken < Math.Min(options.MaxFetchBatch, 1000) && slots.Wait(0))
            {
                taken++;
            }

            IReadOnlyList<JobView> jobs;
            try
            {
                jobs = await api.FetchAsync(queue, taken, options.FetchWait, options.WorkerId, abort).ConfigureAwait(false);
                retryDelay = TimeSpan.FromMilliseconds(100);
            }
            catch (Exception e)
            {
                slots.Release(taken);
                if (abort.IsCancellationRequested)
                {
                    return;
                }

                logger.FetchFailed(e, queue, retryDelay);
                await DelayQuietlyAsync(retryDelay, stopFetching).ConfigureAwait(false);
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxFetchRetryDelay.Ticks));
                continue;
            }

            if (jobs.Count < taken)
            {
                slots.Release(taken - jobs.Count);
            }

            foreach (var job in jobs)
            {
                Start(job, stopFetching);
            }
        }
    }

    /// <summary>Completes when every attempt started so far has finished and been handed to the settler.</summary>
    public Task WhenIdleAsync() => Task.WhenAll(running.Values.Select(r => r.Completion));

    /// <summary>Cancels every running handler and fails its job with <c>Shutdown</c> (retry now), unless it finished meanwhile.</summary>
    public void AbandonRunning()
    {
        foreach (var job in running.Values)
        {
            job.Cancel();
            if (job.TryClaimSettlement())
            {
                logger.AbandonedAtShutdown(job.Job.Id, job.Job.Type);
                settler.Add(Settlement.Failed(job.Job.Id, job.Context.Token, Failure.Shutdown(options.WorkerId)));
            }
        }
    }

    private void Start(JobView job, CancellationToken workerStopping)
    {
        var context = new JobContext(job, api, workerStopping);
        var attempt = new RunningJob(job, context);
        if (workerStopping.IsCancellationRequested)
        {
            // Fetched while shutting down: hand it straight back rather than start work that will be cut short.
            settler.Add(Settlement.Failed(job.Id, context.Token, Failure.Shutdown(options.WorkerId)));
            slots.Release();
            attempt.Dispose();
            return;
        }

        running[(job.Id, context.Token)] = attempt;
        checker.Add(attempt);
        _ = Task.Run(() => RunAsync(attempt));
    }

    private async Task RunAsync(RunningJob attempt)
    {
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeats = leases.KeepAsync(attempt, heartbeatStop.Token);
        try
        {
            var settlement = await runner.RunAsync(attempt).ConfigureAwait(false);

            // Its outcome is known: the lease is no longer this worker's to check or extend.
            checker.Remove(attempt);
            await heartbeatStop.CancelAsync().ConfigureAwait(false);
            await heartbeats.ConfigureAwait(false);
            if (settlement is { } outcome && attempt.TryClaimSettlement())
            {
                settler.Add(outcome);
            }

            // A handler still running past its timeout keeps its slot until it ends, so concurrency bounds what really runs.
            await runner.WaitForHandlerAsync(attempt).ConfigureAwait(false);
        }
        finally
        {
            checker.Remove(attempt);
            await heartbeatStop.CancelAsync().ConfigureAwait(false);
            await heartbeats.ConfigureAwait(false);
            running.TryRemove((attempt.Job.Id, attempt.Context.Token), out _);
            slots.Release();
            attempt.MarkFinished();
            attempt.Dispose();
        }
    }

    private async Task DelayQuietlyAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
