namespace Conveyor.Server.Telemetry;

/// <summary>The OTLP transports (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>).</summary>
public enum OtlpProtocol
{
    /// <summary><c>grpc</c> (port 4317 by convention).</summary>
    Grpc,

    /// <summary><c>http/protobuf</c> (port 4318 by convention).</summary>
    HttpProtobuf,
}
