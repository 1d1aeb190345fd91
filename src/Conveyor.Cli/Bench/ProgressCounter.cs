namespace Conveyor.Cli.Bench;

/// <summary>How far a phase has got, in jobs; written by the load loops, read by the progress display.</summary>
internal sealed class ProgressCounter
{
    private long value;

    public long Value => Interlocked.Read(ref value);

    public long Add(long count) => Interlocked.Add(ref value, count);
}
