using Conveyor.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Conveyor.Server.Telemetry;

/// <summary>
/// <c>/metrics</c>: the OpenTelemetry SDK with its Prometheus exporter over Conveyor's meter, the runtime's
/// (<c>System.Runtime</c>: CPU, memory, GC, thread pool) and ASP.NET Core's (Kestrel connections, which count the
/// Faktory port's too, and HTTP request durations by route).
/// </summary>
internal static class MetricsServiceCollectionExtensions
{
    public static IServiceCollection AddConveyorMetrics(this IServiceCollection services)
    {
        services.AddHostedService<QueueGauges>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(JobMetrics.MeterName, "System.Runtime", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Hosting")
            .AddPrometheusExporter());
        return services;
    }
}
