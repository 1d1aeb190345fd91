namespace Conveyor.Server.Faktory;

/// <summary>Server-wide counters INFO reports: open connections, commands run, start time.</summary>
internal sealed class FaktoryServerState(TimeProvider time)
{
    private long connections;
    private long commands;

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public long Connections => Interlocked.Read(ref connections);

    public long Commands => Interlocked.Read(ref commands);

    public TimeSpan Uptime => time.GetUtcNow() - StartedAt;

    /// <summary>Counts a new connection; returns how many are open with it.</summary>
    public long Opened() => Interlocked.Increment(ref connections);

    public void Closed() => Interlocked.Decrement(ref connections);

    public void CommandRan() => Interlocked.Increment(ref commands);
}
