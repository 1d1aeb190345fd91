using System.CommandLine;
using Conveyor.Server.Telemetry;

namespace Conveyor.Cli.Commands;

/// <summary>
/// <c>serve</c>'s OTLP export (docs/operations.md "OpenTelemetry"): the flags, with the OpenTelemetry SDK's standard
/// environment variables as their defaults. No endpoint, no export.
/// </summary>
internal static class OtlpOptions
{
    private const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string ProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";
    private const string ServiceNameVariable = "OTEL_SERVICE_NAME";

    /// <summary>Adds the options to <paramref name="serve"/>; the function reads them (null when no endpoint is set).</summary>
    public static Func<ParseResult, OtlpExport?> AddTo(Command serve)
    {
        var endpoint = new Option<string>("--otlp-endpoint")
        {
            Description = $"Export traces and metrics over OTLP to this collector address (http://host:4317 for grpc, http://host:4318 for http/protobuf) [env {EndpointVariable}]",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(EndpointVariable) ?? "",
        };
        var protocol = new Option<string>("--otlp-protocol")
        {
            Description = $"The OTLP transport: grpc or http/protobuf [env {ProtocolVariable}]",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ProtocolVariable) is { Length: > 0 } value ? value : "grpc",
        };
        endpoint.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { Length: > 0 } value && !TryParseEndpoint(value, out _))
            {
                result.AddError($"--otlp-endpoint must be an absolute http:// or https:// address, not '{value}'");
            }
        });
        protocol.Validators.Add(result =>
        {
            if (!TryParseProtocol(result.GetValueOrDefault<string>() ?? "", out _))
            {
                result.AddError("--otlp-protocol (OTEL_EXPORTER_OTLP_PROTOCOL) must be grpc or http/protobuf");
            }
        });
        serve.Options.Add(endpoint);
        serve.Options.Add(protocol);
        return parse => parse.GetValue(endpoint) is { Length: > 0 } value
            && TryParseEndpoint(value, out var uri) && TryParseProtocol(parse.GetValue(protocol)!, out var kind)
                ? new OtlpExport(uri, kind, Environment.GetEnvironmentVariable(ServiceNameVariable) is { Length: > 0 } name ? name : OtlpExport.DefaultServiceName)
                : null;
    }

    private static bool TryParseEndpoint(string value, out Uri uri) =>
        Uri.TryCreate(value, UriKind.Absolute, out uri!) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static bool TryParseProtocol(string value, out OtlpProtocol protocol)
    {
        (var ok, protocol) = value switch
        {
            "grpc" => (true, OtlpProtocol.Grpc),
            "http/protobuf" => (true, OtlpProtocol.HttpProtobuf),
            _ => (false, OtlpProtocol.Grpc),
        };
        return ok;
    }
}
