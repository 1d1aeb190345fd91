namespace Conveyor.Server.Dashboard.History;

/// <summary>One series of the metrics history: all jobs, or those of one queue or one type (a capped name or "other").</summary>
internal readonly record struct HistorySeries(HistoryDimension Dimension, string Name)
{
    public static readonly HistorySeries All = new(HistoryDimension.All, string.Empty);

    public static HistorySeries Queue(string name) => new(HistoryDimension.Queue, name);

    public static HistorySeries Type(string name) => new(HistoryDimension.Type, name);
}
