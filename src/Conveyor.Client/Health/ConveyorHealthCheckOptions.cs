using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Conveyor.Client.Health;

/// <summary>What the Conveyor health check looks at besides the server answering.</summary>
public sealed class ConveyorHealthCheckOptions
{
    /// <summary>The most latency (age of the oldest available job) each named queue may have before the check is <see cref="LatencyStatus"/>.</summary>
    public IDictionary<string, TimeSpan> MaxQueueLatency { get; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary>The status when a queue is over its latency (default <see cref="HealthStatus.Degraded"/>).</summary>
    public HealthStatus LatencyStatus { get; set; } = HealthStatus.Degraded;

    /// <summary>Checks that <paramref name="queue"/>'s oldest available job waited at most <paramref name="maxLatency"/>.</summary>
    /// <returns>These options, for chaining.</returns>
    public ConveyorHealthCheckOptions MaxLatency(string queue, TimeSpan maxLatency)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        MaxQueueLatency[queue] = maxLatency;
        return this;
    }
}
