namespace Conveyor.Contracts.Queues;

/// <summary>Counts per state, lifetime totals and the recent completion rate (<c>GET /v1/stats</c>).</summary>
/// <param name="Counts">Jobs in each state, every state present, keyed by state name.</param>
/// <param name="Processed">Attempts ever completed.</param>
/// <param name="Failed">Attempts ever failed, lease expiries included.</param>
/// <param name="Throughput">Jobs completed per second over the last minute.</param>
public sealed record StatsResponse(IReadOnlyDictionary<string, long> Counts, long Processed, long Failed, double Throughput);
