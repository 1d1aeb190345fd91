namespace Conveyor.Server.Dashboard;

/// <summary>A bulk operation's progress (<c>GET /v1/operations/{id}</c>).</summary>
/// <param name="Id">The operation's id.</param>
/// <param name="Action">retry, cancel or delete.</param>
/// <param name="Status">running, done or failed.</param>
/// <param name="Matched">Jobs matched so far.</param>
/// <param name="Applied">Jobs the action changed.</param>
/// <param name="Skipped">Matched jobs whose state the action does not apply to (or that changed meanwhile).</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="FinishedAt">When it ended, or null while running.</param>
/// <param name="Error">Why it stopped, when failed.</param>
internal sealed record OperationView(
    string Id, string Action, string Status, long Matched, long Applied, long Skipped, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string? Error);
