namespace Conveyor.Server.Dashboard.History;

/// <summary>One slot of a history ring: the series that had something in the span starting at <see cref="StartMinute"/> (Unix minutes).</summary>
internal sealed class HistoryBucket(long startMinute)
{
    public long StartMinute { get; } = startMinute;

    public Dictionary<HistorySeries, HistoryCell> Cells { get; } = [];

    public void Add(HistorySeries series, HistoryCell delta)
    {
        if (!Cells.TryGetValue(series, out var cell))
        {
            cell = new HistoryCell();
            Cells[series] = cell;
        }

        cell.Add(delta);
    }
}
