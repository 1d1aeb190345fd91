using System.Diagnostics;

namespace Conveyor.Cli.Bench;

/// <summary>
/// When a probe's next step is due: back to back until the duration is over, or, with a rate, one step every
/// 1/rate seconds from the start (the probe sleeps in between, as a lightly loaded server's threads do).
/// </summary>
internal readonly struct ProbePace(TimeSpan duration, double? perSecond)
{
    /// <summary>
    /// Whether step <paramref name="count"/> (0-based) runs, and how long to wait for it first; false once the
    /// duration is over or the step would fall after it.
    /// </summary>
    public bool TryNext(long started, long count, out TimeSpan wait)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        wait = TimeSpan.Zero;
        if (elapsed >= duration)
        {
            return false;
        }

        if (perSecond is not { } rate)
        {
            return true;
        }

        var due = TimeSpan.FromSeconds(count / rate);
        if (due >= duration)
        {
            return false;
        }

        wait = due > elapsed ? due - elapsed : TimeSpan.Zero;
        return true;
    }

    /// <summary>The row's name: <paramref name="name"/>, with the rate when paced.</summary>
    public string Name(string name, string inside) => perSecond is { } rate ? $"{name} ({inside}, {rate:0.##}/s)" : $"{name} ({inside})";

    /// <summary>The row's note: <paramref name="unit"/> in the jobs/s column, or how it was paced.</summary>
    public string Note(string unit) => perSecond is null ? $"{unit}/s in the jobs/s column" : "paced: one every 1/rate s, asleep in between";
}
