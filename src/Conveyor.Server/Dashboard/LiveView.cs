namespace Conveyor.Server.Dashboard;

/// <summary>
/// The overview's charts (<c>GET /v1/dashboard/live</c>): one point per sampling interval, oldest first. Each point is
/// <c>[time (Unix ms), enqueued, completed, failed, pickups, pickup latency sum (ms)]</c> for that interval.
/// </summary>
internal sealed record LiveView(int IntervalMs, IReadOnlyList<double[]> Points);
