namespace Conveyor.Server.Dashboard.History;

/// <summary>
/// A span the history page shows: how many points, each how many minutes wide, read from which ring (1 h and 24 h
/// from the minute ring, 7 d from the ten-minute ring).
/// </summary>
internal sealed record HistoryRange(string Name, int Points, int StepMinutes, bool FromMinutes)
{
    public static readonly HistoryRange Hour = new("1h", 60, 1, true);
    public static readonly HistoryRange Day = new("24h", 288, 5, true);
    public static readonly HistoryRange Week = new("7d", 336, 30, false);

    public static HistoryRange? Parse(string? name) => name switch
    {
        null or "" or "1h" => Hour,
        "24h" => Day,
        "7d" => Week,
        _ => null,
    };
}
