namespace Conveyor.Server.Dashboard;

/// <summary>One bulk action running (or run) on the server; its counters are read while it runs.</summary>
internal sealed class BulkOperation(string id, BulkAction action, DateTimeOffset startedAt)
{
    private long matched;
    private long applied;
    private long skipped;

    public string Id => id;

    public BulkAction Action => action;

    public DateTimeOffset StartedAt => startedAt;

    public DateTimeOffset? FinishedAt { get; private set; }

    public string? Error { get; private set; }

    public bool Running => FinishedAt is null;

    public void Count(int matchedNow, int appliedNow, int skippedNow)
    {
        Interlocked.Add(ref matched, matchedNow);
        Interlocked.Add(ref applied, appliedNow);
        Interlocked.Add(ref skipped, skippedNow);
    }

    public void Finish(DateTimeOffset at, string? error)
    {
        Error = error;
        FinishedAt = at;
    }

    public OperationView ToView() => new(
        id,
        action.ToString().ToLowerInvariant(),
        Running ? "running" : Error is null ? "done" : "failed",
        Interlocked.Read(ref matched),
        Interlocked.Read(ref applied),
        Interlocked.Read(ref skipped),
        startedAt,
        FinishedAt,
        Error);
}
