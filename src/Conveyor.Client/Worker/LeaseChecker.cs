using System.Collections.Concurrent;
using System.Net;
using Conveyor.Contracts.Workers;
using Microsoft.Extensions.Logging;

namespace Conveyor.Client.Worker;

/// <summary>
/// One per worker host: every <see cref="ConveyorWorkerOptions.CancellationCheckInterval"/> while jobs run, asks the
/// server in one <c>POST /v1/leases/check</c> (up to 1000 leases a call) which of the running attempts' leases are no
/// longer held, and cancels those handlers' tokens. The check writes nothing on the server, unlike a heartbeat, so it
/// can run every second; heartbeats still extend the leases. An older server without the endpoint (404) leaves
/// cancellation to the heartbeats. Over the gRPC Work stream the server pushes lost leases instead, and nothing is polled.
/// </summary>
internal sealed class LeaseChecker
{
    private const int MaxPerCall = 1000;
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(50);
    private readonly ConcurrentDictionary<(string Id, string Token), RunningJob> running = new();
    private readonly IWorkerTransport api;
    private readonly TimeSpan interval;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stop = new();
    private Task loop = Task.CompletedTask;
    private bool failing;

    public LeaseChecker(IWorkerTransport api, ConveyorWorkerOptions options, TimeProvider time, ILogger logger)
    {
        this.api = api;
        interval = options.CancellationCheckInterval < MinimumInterval && options.CancellationCheckInterval > TimeSpan.Zero
            ? MinimumInterval
            : options.CancellationCheckInterval;
        this.time = time;
        this.logger = logger;
    }

    public void Start()
    {
        api.LeaseLost += OnLeaseLost;
        if (interval > TimeSpan.Zero && !api.PushesLostLeases)
        {
            loop = Task.Run(RunAsync);
        }
    }

    public void Add(RunningJob attempt) => running[(attempt.Job.Id, attempt.Context.Token)] = attempt;

    /// <summary>Stops checking <paramref name="attempt"/>: called once its outcome is known, before it is settled.</summary>
    public void Remove(RunningJob attempt) => running.TryRemove((attempt.Job.Id, attempt.Context.Token), out _);

    public async Task StopAsync()
    {
        api.LeaseLost -= OnLeaseLost;
        await stop.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stop.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, time, stop.Token).ConfigureAwait(false);
                if (!running.IsEmpty && !await CheckAsync().ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The worker stopped.
        }
    }

    /// <summary>One round over every running lease; false when the server has no lease check.</summary>
    private async Task<bool> CheckAsync()
    {
        foreach (var chunk in running.Keys.Chunk(MaxPerCall))
        {
            IReadOnlyList<LostLeaseView> lost;
            try
            {
                lost = await api.CheckLeasesAsync(chunk, stop.Token).ConfigureAwait(false);
            }
            catch (ConveyorApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                logger.LeaseCheckUnsupported(e.StatusCode);
                return false;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                // The fetch loops report an unreachable server; one warning per streak is enough here.
                if (!failing)
                {
                    failing = true;
                    logger.LeaseCheckFailed(e);
                }

                return true;
            }

            failing = false;
            foreach (var lease in lost)
            {
                if (running.TryGetValue((lease.Id, lease.Token), out var attempt))
                {
                    Stop(attempt, lease.Reason);
                }
            }
        }

        return true;
    }

    private void OnLeaseLost(LostLeaseView lease)
    {
        if (running.TryGetValue((lease.Id, lease.Token), out var attempt))
        {
            Stop(attempt, lease.Reason);
        }
    }

    private void Stop(RunningJob attempt, string reason)
    {
        var cancelled = reason == "cancelled";
        if (!attempt.Stop(cancelled ? AttemptStop.Cancelled : AttemptStop.LeaseLost))
        {
            return;
        }

        if (cancelled)
        {
            logger.JobCancelledOnServer(attempt.Job.Id, attempt.Job.Type);
        }
        else
        {
            logger.LeaseReportedLost(attempt.Job.Id, attempt.Job.Type, reason);
        }
    }
}
