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
    private int leaseLost;

    public RunningJob(JobView job, JobContext context)
    {
        Job = job;
        Context = context;
        context.CancellationToken = cancel.Token;
    }

    public JobView Job { get; }

    public JobContext Context { get; }

    /// <summary>The handler's token: cancelled at the end of the shutdown grace or when the lease is lost.</summary>
    public CancellationToken Token => cancel.Token;

    public bool LeaseLost => Volatile.Read(ref leaseLost) == 1;

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

    public void MarkLeaseLost()
    {
        Interlocked.Exchange(ref leaseLost, 1);
        Cancel();
    }

    public void Dispose() => cancel.Dispose();
}
