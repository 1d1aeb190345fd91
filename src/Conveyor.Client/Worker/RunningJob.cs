using Conveyor.Contracts.Jobs;

namespace Conveyor.Client.Worker;

/// <summary>
/// One attempt in progress. Exactly one of the handler's finish and the shutdown's abandonment settles it
/// (<see cref="TryClaimSettlement"/>), so a job is never both acked and failed by this worker.
/// </summary>
internal sealed class RunningJob : IDisposable
{
    private readonly CancellationTokenSource cancel = new();
    private readonly TaskCompletionSource finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int settled;
    private int stop;

    public RunningJob(JobView job, JobContext context)
    {
        Job = job;
        Context = context;
        context.CancellationToken = cancel.Token;
    }

    public JobView Job { get; }

    public JobContext Context { get; }

    /// <summary>
    /// The handler's token: cancelled at the end of the shutdown grace, when the job is cancelled or its lease lost, or at
    /// the attempt's timeout.
    /// </summary>
    public CancellationToken Token => cancel.Token;

    /// <summary>The first reason the attempt was stopped; <see cref="AttemptStop.None"/> while it runs on.</summary>
    public AttemptStop Stopped => (AttemptStop)Volatile.Read(ref stop);

    /// <summary>Whether the lease is gone (lost or cancelled), so settling would be refused and nothing is sent.</summary>
    public bool LeaseLost => Stopped is AttemptStop.LeaseLost or AttemptStop.Cancelled;

    /// <summary>The handler's run, including its DI scope; ends when the handler does, even past a timeout.</summary>
    public Task Handler { get; set; } = Task.CompletedTask;

    /// <summary>Completes when the attempt has been run and settled (or abandoned).</summary>
    public Task Completion => finished.Task;

    public void MarkFinished() => finished.TrySetResult();

    public bool TryClaimSettlement() => Interlocked.Exchange(ref settled, 1) == 0;

    public void Cancel()
    {
        try
        {
            cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The attempt finished in the meantime.
        }
    }

    /// <summary>Records <paramref name="reason"/> and cancels the token; false (and nothing changes) when already stopped.</summary>
    public bool Stop(AttemptStop reason)
    {
        if (Interlocked.CompareExchange(ref stop, (int)reason, (int)AttemptStop.None) != (int)AttemptStop.None)
        {
            return false;
        }

        Cancel();
        return true;
    }

    public void Dispose() => cancel.Dispose();
}
