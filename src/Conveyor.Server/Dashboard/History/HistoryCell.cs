namespace Conveyor.Server.Dashboard.History;

/// <summary>
/// What one series did in one bucket: jobs completed, attempts failed, and the run times of the attempts that ran
/// (count, sum, and a histogram over <see cref="Bounds"/>, the run-time histogram's buckets of <c>/metrics</c>, from
/// which the 95th percentile is estimated).
/// </summary>
internal sealed class HistoryCell
{
    /// <summary>Upper bounds of the run-time bins in seconds; one more bin holds what lies above the last.</summary>
    public static readonly double[] Bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

    public static int BinCount => Bounds.Length + 1;

    public long Completed { get; set; }

    public long Failed { get; set; }

    public long Runs { get; set; }

    public long RunMicros { get; set; }

    public int[] Bins { get; } = new int[BinCount];

    public bool IsEmpty => Completed == 0 && Failed == 0 && Runs == 0;

    /// <summary>The bin a run of <paramref name="seconds"/> falls in.</summary>
    public static int BinOf(double seconds)
    {
        var i = Array.BinarySearch(Bounds, seconds);
        return i >= 0 ? i : ~i;
    }

    public void Add(HistoryCell other)
    {
        Completed += other.Completed;
        Failed += other.Failed;
        Runs += other.Runs;
        RunMicros += other.RunMicros;
        for (var i = 0; i < Bins.Length; i++)
        {
            Bins[i] += other.Bins[i];
        }
    }

    /// <summary>Records one run of <paramref name="seconds"/>.</summary>
    public void AddRun(double seconds)
    {
        Runs++;
        RunMicros += (long)(Math.Max(0, seconds) * 1_000_000);
        Bins[BinOf(seconds)]++;
    }

    /// <summary>The mean run time in milliseconds, 0 without runs.</summary>
    public double MeanMs => Runs == 0 ? 0 : RunMicros / 1000.0 / Runs;

    /// <summary>
    /// The 95th percentile of the run times in milliseconds, interpolated inside its bin (so at most one bin's width
    /// off); past the last bound the last bound is answered. 0 without runs.
    /// </summary>
    public double P95Ms
    {
        get
        {
            long total = 0;
            foreach (var b in Bins)
            {
                total += b;
            }

            if (total == 0)
            {
                return 0;
            }

            var rank = 0.95 * total;
            long below = 0;
            for (var i = 0; i < Bins.Length; i++)
            {
                if (below + Bins[i] >= rank)
                {
                    if (i == Bounds.Length)
                    {
                        return Bounds[^1] * 1000;
                    }

                    var lower = i == 0 ? 0 : Bounds[i - 1];
                    var fraction = (rank - below) / Bins[i];
                    return (lower + ((Bounds[i] - lower) * fraction)) * 1000;
                }

                below += Bins[i];
            }

            return Bounds[^1] * 1000;
        }
    }
}
