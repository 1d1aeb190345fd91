namespace Conveyor.Server.Dashboard;

/// <summary>
/// Who the dashboard is talking as (<c>GET /v1/dashboard/session</c>): whether keys are in use, the key's name and
/// scopes, and whether it may act (admin). The page hides what it may not do; the server refuses it anyway.
/// </summary>
internal sealed record SessionView(bool KeysRequired, string? KeyName, IReadOnlyList<string> Scopes, bool CanAct);
