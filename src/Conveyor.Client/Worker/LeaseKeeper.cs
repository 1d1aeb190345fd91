using Microsoft.Extensions.Logging;

namespace Conveyor.Client.Worker;

/// <summary>
/// Heartbeats a running job so a handler longer than its lease keeps it: every <see cref="ConveyorWorkerOptions.HeartbeatInterval"/>
/// (default a third of the lease) the lease is extended by the job's lease length. A refused heartbeat means another
/// worker may hold the job now, so the handler is cancelled.
/// </summary>
internal sealed class LeaseKeeper
{
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(100);
    private readonly ConveyorWorkerOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    public LeaseKeeper(ConveyorWorkerOptions options, TimeProvider time, ILogger logger)
    {
        this.options = options;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>Runs until <paramref name="stop"/> (the attempt finished); never throws.</summary>
    public async Task KeepAsync(RunningJob running, CancellationToken stop)
    {
        if (!options.HeartbeatsEnabled)
        {
            return;
        }

        var interval = options.HeartbeatInterval ?? TimeSpan.FromSeconds(running.Context.LeaseSeconds / 3.0);
        if (interval < MinimumInterval)
        {
            interval = MinimumInterval;
        }

        try
        {
            while (true)
            {
                await Task.Delay(interval, time, stop).ConfigureAwait(false);
                try
                {
                    await running.Context.ExtendLeaseAsync(cancellationToken: stop).ConfigureAwait(false);
                }
                catch (ConveyorApiException e) when (e.IsStaleLease || e.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    if (running.Stop(AttemptStop.LeaseLost))
                    {
                        logger.LeaseLost(running.Job.Id);
                    }

                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A transient failure; the lease has two more intervals before it ends.
                    logger.HeartbeatFailed(e, running.Job.Id);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The attempt finished.
        }
    }
}
