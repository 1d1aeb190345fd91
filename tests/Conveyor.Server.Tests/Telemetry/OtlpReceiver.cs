using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conveyor.Server.Tests.Telemetry;

/// <summary>
/// A collector for the tests: Kestrel on 127.0.0.1 with a free port, accepting OTLP/HTTP protobuf on <c>POST /v1/traces</c>
/// and <c>/v1/metrics</c> and keeping what the tests assert (each span's ids, name, kind and attributes; the metric names).
/// Field numbers are those of the OTLP protocol's messages (ExportTraceServiceRequest → ResourceSpans → ScopeSpans → Span,
/// ExportMetricsServiceRequest → ResourceMetrics → ScopeMetrics → Metric).
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<OtlpSpan> spans = new();
    private readonly ConcurrentDictionary<string, byte> metrics = new(StringComparer.Ordinal);
    private int requests;

    private OtlpReceiver(WebApplication app) => this.app = app;

    /// <summary>The base address (<c>http://127.0.0.1:port</c>) to give the exporter.</summary>
    public Uri Endpoint => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public IReadOnlyCollection<OtlpSpan> Spans => spans;

    public IReadOnlyCollection<string> MetricNames => (IReadOnlyCollection<string>)metrics.Keys;

    /// <summary>How many export requests arrived, of either signal.</summary>
    public int Requests => Volatile.Read(ref requests);

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", context => receiver.AcceptAsync(context, receiver.ReadTraces));
        app.MapPost("/v1/metrics", context => receiver.AcceptAsync(context, receiver.ReadMetrics));
        await app.StartAsync(TestContext.Current.CancellationToken);
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }

    private async Task AcceptAsync(HttpContext context, Action<byte[]> read)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        Assert.Equal("application/x-protobuf", context.Request.ContentType);
        read(body.ToArray());
        Interlocked.Increment(ref requests);
        context.Response.ContentType = "application/x-protobuf";
        context.Response.StatusCode = StatusCodes.Status200OK; // an empty Export*ServiceResponse: everything accepted
    }

    private void ReadTraces(byte[] request)
    {
        var top = new ProtoReader(request);
        while (top.Next())
        {
            if (top.Field != 1)
            {
                continue;
            }

            var service = "";
            var resourceSpans = new ProtoReader(top.Bytes);
            while (resourceSpans.Next())
            {
                if (resourceSpans.Field == 1)
                {
                    service = Attributes(resourceSpans.Bytes, attributesField: 1).GetValueOrDefault("service.name", "");
                }
                else if (resourceSpans.Field == 2)
                {
                    ReadScopeSpans(resourceSpans.Bytes, service);
                }
            }
        }
    }

    private void ReadScopeSpans(ReadOnlySpan<byte> message, string service)
    {
        var scope = "";
        var reader = new ProtoReader(message);
        while (reader.Next())
        {
            if (reader.Field == 1)
            {
                scope = FirstString(reader.Bytes, 1);
            }
            else if (reader.Field == 2)
            {
                spans.Enqueue(ReadSpan(reader.Bytes, service, scope));
            }
        }
    }

    private static OtlpSpan ReadSpan(ReadOnlySpan<byte> message, string service, string scope)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var kind = 0;
        var span = new ProtoReader(message);
        while (span.Next())
        {
            switch (span.Field)
            {
                case 1: traceId = Convert.ToHexStringLower(span.Bytes); break;
                case 2: spanId = Convert.ToHexStringLower(span.Bytes); break;
                case 4: parent = Convert.ToHexStringLower(span.Bytes); break;
                case 5: name = span.Text; break;
                case 6: kind = (int)span.Number; break;
            }
        }

        return new OtlpSpan(service, scope, traceId, spanId, parent, name, kind, Attributes(message, attributesField: 9));
    }

    private void ReadMetrics(byte[] request)
    {
        var top = new ProtoReader(request);
        while (top.Next())
        {
            var resourceMetrics = new ProtoReader(top.Field == 1 ? top.Bytes : default);
            while (resourceMetrics.Next())
            {
                var scopeMetrics = new ProtoReader(resourceMetrics.Field == 2 ? resourceMetrics.Bytes : default);
                while (scopeMetrics.Next())
                {
                    if (scopeMetrics.Field == 2)
                    {
                        metrics.TryAdd(FirstString(scopeMetrics.Bytes, 1), 0);
                    }
                }
            }
        }
    }

    /// <summary>The KeyValue attributes in field <paramref name="attributesField"/> of a message (string, bool and int values).</summary>
    private static Dictionary<string, string> Attributes(ReadOnlySpan<byte> message, int attributesField)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new ProtoReader(message);
        while (reader.Next())
        {
            if (reader.Field != attributesField || reader.WireType != 2)
            {
                continue;
            }

            string key = "", value = "";
            var pair = new ProtoReader(reader.Bytes);
            while (pair.Next())
            {
                if (pair.Field == 1)
                {
                    key = pair.Text;
                }
                else if (pair.Field == 2)
                {
                    var any = new ProtoReader(pair.Bytes);
                    while (any.Next())
                    {
                        value = any.Field switch
                        {
                            1 => any.Text,
                            2 => any.Number != 0 ? "true" : "false",
                            3 => ((long)any.Number).ToString(CultureInfo.InvariantCulture),
                            _ => value,
                        };
                    }
                }
            }

            attributes[key] = value;
        }

        return attributes;
    }

    private static string FirstString(ReadOnlySpan<byte> message, int field)
    {
        var reader = new ProtoReader(message);
        while (reader.Next())
        {
            if (reader.Field == field && reader.WireType == 2)
            {
                return reader.Text;
            }
        }

        return "";
    }
}
