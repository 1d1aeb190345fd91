namespace Conveyor.Server.Telemetry;

/// <summary>Where <c>conveyor serve</c> exports its traces and metrics over OTLP (<see cref="ConveyorServerOptions.Otlp"/>).</summary>
/// <param name="Endpoint">
/// The collector's base address, e.g. <c>http://localhost:4317</c> for gRPC or <c>http://localhost:4318</c> for HTTP; over
/// HTTP the signal's path (<c>/v1/traces</c>, <c>/v1/metrics</c>) is appended.
/// </param>
/// <param name="Protocol">How to talk to it.</param>
/// <param name="ServiceName">The <c>service.name</c> resource attribute.</param>
public sealed record OtlpExport(Uri Endpoint, OtlpProtocol Protocol = OtlpProtocol.Grpc, string ServiceName = OtlpExport.DefaultServiceName)
{
    /// <summary>The service name when none is given (<c>OTEL_SERVICE_NAME</c>).</summary>
    public const string DefaultServiceName = "conveyor";

    /// <summary>How often metrics are pushed and finished spans sent; null keeps the SDK's defaults (60 s and 5 s).</summary>
    public TimeSpan? ExportInterval { get; init; }
}
