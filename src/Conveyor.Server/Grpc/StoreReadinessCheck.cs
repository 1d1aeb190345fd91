using Conveyor.Server.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Conveyor.Server.Grpc;

/// <summary>The readiness <c>/readyz</c> answers, as an ASP.NET health check: it feeds <c>grpc.health.v1</c>.</summary>
internal sealed class StoreReadinessCheck(BrokerRuntime runtime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!runtime.IsReady)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(runtime.Failure is { } failure ? $"the store failed to open: {failure.Message}" : "the store is recovering"));
        }

        return Task.FromResult(runtime.Broker.Store.Failure is { } stopped ? HealthCheckResult.Unhealthy(stopped.Message) : HealthCheckResult.Healthy("ready"));
    }
}
