namespace Conveyor.Server.Dashboard.History;

/// <summary>
/// What one series did since the last fold, added to from the store's threads without a lock (the meter callbacks)
/// and drained by <see cref="MetricsHistory"/>.
/// </summary>
internal sealed class HistoryAccumulator
{
    private readonly long[] bins = new long[HistoryCell.BinCount];
    private long completed;
    private long failed;
    private long runs;
    private long runMicros;

    public void AddCompleted(long count) => Interlocked.Add(ref completed, count);

    public void AddFailed(long count) => Interlocked.Add(ref failed, count);

    public void AddRun(double seconds)
    {
        Interlocked.Increment(ref runs);
        Interlocked.Add(ref runMicros, (long)(Math.Max(0, seconds) * 1_000_000));
        Interlocked.Increment(ref bins[HistoryCell.BinOf(seconds)]);
    }

    /// <summary>Takes what was added so far and starts again from zero.</summary>
    public HistoryCell Drain()
    {
        var cell = new HistoryCell
        {
            Completed = Interlocked.Exchange(ref completed, 0),
            Failed = Interlocked.Exchange(ref failed, 0),
            Runs = Interlocked.Exchange(ref runs, 0),
            RunMicros = Interlocked.Exchange(ref runMicros, 0),
        };
        for (var i = 0; i < bins.Length; i++)
        {
            cell.Bins[i] = (int)Math.Min(int.MaxValue, Interlocked.Exchange(ref bins[i], 0));
        }

        return cell;
    }
}
