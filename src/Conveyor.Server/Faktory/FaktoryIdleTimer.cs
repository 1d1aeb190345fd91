namespace Conveyor.Server.Faktory;

/// <summary>
/// A connection's idle deadline: started before each wait for a line, stopped when one arrives, so a running
/// command never counts as idle time. One token source serves every wait; it is replaced only when the timer
/// fired just as a line arrived, so that line does not count against the next wait.
/// </summary>
internal sealed class FaktoryIdleTimer(CancellationToken closed) : IDisposable
{
    private CancellationTokenSource source = CancellationTokenSource.CreateLinkedTokenSource(closed);

    /// <summary>A token cancelled when the connection closes or after <paramref name="timeout"/>.</summary>
    public CancellationToken Start(TimeSpan timeout)
    {
        source.CancelAfter(timeout);
        return source.Token;
    }

    public void Stop()
    {
        if (!source.TryReset())
        {
            source.Dispose();
            source = CancellationTokenSource.CreateLinkedTokenSource(closed);
        }
    }

    public void Dispose() => source.Dispose();
}
