using Conveyor.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Conveyor.Server.Telemetry;

/// <summary>
/// <c>/metrics</c>: the OpenTelemetry SDK with its Prometheus exporter over Conveyor's meter, the runtime's
/// (<c>System.Runtime</c>: CPU, memory, GC, thread pool) and ASP.NET Core's (Kestrel connections, which count the
/// Faktory port's too, and HTTP request durations by route). With <see cref="ConveyorServerOptions.Otlp"/> the same
/// metrics, and the server's spans (<see cref="JobTracing"/>) with ASP.NET Core's request spans, are also pushed over
/// OTLP; without it no tracer is registered, so the span calls find no listener and cost nothing.
/// </summary>
internal static class MetricsServiceCollectionExtensions
{
    private static readonly string[] Meters = [JobMetrics.MeterName, "System.Runtime", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Hosting"];

    public static IServiceCollection AddConveyorMetrics(this IServiceCollection services, OtlpExport? otlp)
    {
        services.AddHostedService<QueueGauges>();
        var telemetry = services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(Meters).AddPrometheusExporter();
            if (otlp is not null)
            {
                metrics.AddOtlpExporter((exporter, reader) =>
                {
                    Configure(exporter, otlp, "v1/metrics");
                    if (otlp.ExportInterval is { } interval)
                    {
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)interval.TotalMilliseconds;
                    }
                });
            }
        });
        if (otlp is null)
        {
            return services;
        }

        telemetry.ConfigureResource(resource => resource.AddService(otlp.ServiceName));
        telemetry.WithTracing(tracing => tracing
            .AddSource(JobTracing.SourceName, "Microsoft.AspNetCore")
            .AddOtlpExporter(exporter =>
            {
                Configure(exporter, otlp, "v1/traces");
                if (otlp.ExportInterval is { } interval)
                {
                    exporter.BatchExportProcessorOptions.ScheduledDelayMilliseconds = (int)interval.TotalMilliseconds;
                }
            }));
        return services;
    }

    private static void Configure(OtlpExporterOptions exporter, OtlpExport otlp, string signalPath)
    {
        // Set in code, the endpoint is used as it is: over HTTP it must name the signal's path, which the standard
        // environment variable's base address implies.
        exporter.Protocol = otlp.Protocol == OtlpProtocol.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = otlp.Protocol == OtlpProtocol.Grpc
            ? otlp.Endpoint
            : new Uri(otlp.Endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath);
    }
}
