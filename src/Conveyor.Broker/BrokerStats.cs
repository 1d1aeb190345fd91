using Conveyor.Core.Storage;

namespace Conveyor.Broker;

/// <summary>The store's counts plus the recent completion rate.</summary>
/// <param name="Store">Counts per state and lifetime totals.</param>
/// <param name="Throughput">Jobs completed per second over the recent window.</param>
public sealed record BrokerStats(StoreStats Store, double Throughput);
