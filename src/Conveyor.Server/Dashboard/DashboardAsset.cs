namespace Conveyor.Server.Dashboard;

/// <summary>One embedded file of the dashboard, with its content type and strong ETag (a hash of its bytes).</summary>
internal sealed record DashboardAsset(string Name, byte[] Content, string ContentType, string ETag);
