using Conveyor.Broker;

namespace Conveyor.Server.Hosting;

/// <summary>
/// Hands the broker to endpoints once the store has recovered. Until then (or after recovery failed)
/// <see cref="Broker"/> throws <see cref="ServiceNotReadyException"/>, which the API answers with 503.
/// </summary>
internal sealed class BrokerRuntime
{
    private readonly TaskCompletionSource<JobBroker> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the broker is usable; faults when recovery failed.</summary>
    public Task<JobBroker> Ready => ready.Task;

    public bool IsReady => ready.Task.IsCompletedSuccessfully;

    /// <summary>Why start-up failed, if it did.</summary>
    public Exception? Failure => ready.Task.Exception?.InnerException;

    public JobBroker Broker
    {
        get
        {
            if (ready.Task.IsCompletedSuccessfully)
            {
                return ready.Task.Result;
            }

            throw new ServiceNotReadyException(Failure is { } failure
                ? $"the store failed to open: {failure.Message}"
                : "the store is still recovering; retry shortly");
        }
    }

    public void SetReady(JobBroker broker) => ready.TrySetResult(broker);

    public void SetFailed(Exception exception)
    {
        if (ready.TrySetException(exception))
        {
            // Observed through Failure; keep the unobserved-task handler quiet.
            _ = ready.Task.Exception;
        }
    }
}
