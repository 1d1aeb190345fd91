namespace Conveyor.Server.Dashboard.History;

/// <summary>
/// The metrics history (<c>GET /v1/dashboard/history</c>): one point per <see cref="StepSeconds"/>, oldest first, each
/// <c>[start (Unix ms), completed, failed, runs, mean run time (ms), p95 run time (ms)]</c>; the queues and types
/// that have a series of their own (past the cap, <c>other</c>); and whether the history survives a restart.
/// </summary>
internal sealed record HistoryView(
    string Range,
    int StepSeconds,
    string? Queue,
    string? Type,
    bool Persisted,
    IReadOnlyList<string> Queues,
    IReadOnlyList<string> Types,
    IReadOnlyList<double[]> Points);
