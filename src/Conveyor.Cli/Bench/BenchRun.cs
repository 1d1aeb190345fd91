namespace Conveyor.Cli.Bench;

/// <summary>One run in progress: its settings, the server under load, and the rows and figures gathered so far.</summary>
internal sealed class BenchRun(BenchSettings settings, BenchTarget target, BenchProgress progress, CancellationToken cancellationToken)
{
    public BenchSettings Settings => settings;

    public BenchTarget Target => target;

    public BenchProgress Progress => progress;

    public CancellationToken CancellationToken => cancellationToken;

    public List<BenchRow> Rows { get; } = [];

    public List<BenchFigure> Figures { get; } = [];

    /// <summary>A factory for a queue of its own, so that phases (and other users of an external server) do not mix.</summary>
    public JobFactory NewJobs() => new("bench-" + Guid.NewGuid().ToString("N")[..10], settings.PayloadBytes);

    /// <summary>A token that fires after <c>--duration</c> (or <paramref name="limit"/>), or when the run is cancelled.</summary>
    public CancellationTokenSource PhaseLimit(TimeSpan? limit = null)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(limit ?? settings.Duration);
        return source;
    }

    /// <summary>A note for a row that did not reach its count.</summary>
    public static string? ShortNote(long done, long wanted) =>
        done < wanted ? $"stopped by the time limit at {done:N0} of {wanted:N0}" : null;

    public void Add(BenchRow row) => Rows.Add(row);

    public void Add(string name, double value, string unit) => Figures.Add(new BenchFigure(name, value, unit));

    public void Add(BenchFigure figure) => Figures.Add(figure);
}
