using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Conveyor.Client.Health;

/// <summary>
/// Healthy when the Conveyor server answers <c>GET /v1/queues</c> and every queue named in
/// <see cref="ConveyorHealthCheckOptions.MaxQueueLatency"/> is within its latency; the registration's failure status
/// (default unhealthy) when the server cannot be reached or refuses the call.
/// </summary>
internal sealed class ConveyorHealthCheck : IHealthCheck
{
    private readonly IConveyorClient client;
    private readonly ConveyorHealthCheckOptions options;
    private readonly TimeProvider time;

    public ConveyorHealthCheck(IConveyorClient client, ConveyorHealthCheckOptions options, TimeProvider time)
    {
        this.client = client;
        this.options = options;
        this.time = time;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<Contracts.Queues.QueueView> queues;
        try
        {
            queues = await client.ListQueuesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "the Conveyor server did not answer: " + e.Message, e);
        }

        var now = time.GetUtcNow();
        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["queues"] = queues.Count };
        var late = new List<string>();
        foreach (var (name, max) in options.MaxQueueLatency)
        {
            var oldest = queues.FirstOrDefault(q => q.Name == name)?.OldestAvailableAt;
            var latency = oldest is { } at && now > at ? now - at : TimeSpan.Zero;
            data["latency:" + name] = latency.TotalSeconds;
            if (latency > max)
            {
                late.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {latency.TotalSeconds:0.#} s > {max.TotalSeconds:0.#} s"));
            }
        }

        return late.Count == 0
            ? HealthCheckResult.Healthy("the Conveyor server answers", data)
            : new HealthCheckResult(options.LatencyStatus, "queue latency over its limit: " + string.Join(", ", late), data: data);
    }
}
