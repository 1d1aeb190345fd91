using System.Diagnostics;
using Conveyor.Client;
using Conveyor.Contracts.Jobs;
using Conveyor.Core.Telemetry;
using Conveyor.Server.Telemetry;
using Conveyor.Server.Tests.Faktory;
using Conveyor.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Conveyor.Server.Tests.Telemetry;

/// <summary>
/// OTLP export against an in-process collector (<see cref="OtlpReceiver"/>): the server's spans and metrics arrive, and
/// a trace started by a producer runs through the server's enqueue span into the worker's handler span. The server's
/// tracer listens process-wide, so these run alone (<see cref="MetricsCollection"/>).
/// </summary>
[Collection(nameof(MetricsCollection))]
public sealed class OtlpExportTests
{
    private const string ProducerSourceName = "Conveyor.Server.Tests.Producer";
    private static readonly ActivitySource Producer = new(ProducerSourceName);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Otlp_ProducerEnqueuesAndSdkWorkerHandles_OneTraceFromProducerThroughServerSpansToHandler()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is ProducerSourceName or ConveyorDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await RunningServer.StartAsync(o =>
        {
            o.Otlp = new OtlpExport(receiver.Endpoint, OtlpProtocol.HttpProtobuf) { ExportInterval = TimeSpan.FromMilliseconds(200) };
            o.MetricsSampleInterval = TimeSpan.FromMilliseconds(100);
        });
        Assert.True(JobTracing.Enabled);
        var queue = "otlp-" + Guid.NewGuid().ToString("N")[..8];
        var handled = new HandledSpan();
        var worker = await StartWorkerAsync(server, queue, handled);
        try
        {
            await ProduceAndFollowAsync(server, receiver, queue, handled);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }
    }

    private static async Task ProduceAndFollowAsync(RunningServer server, OtlpReceiver receiver, string queue, HandledSpan handled)
    {
        var client = new ConveyorClient(server.Http, new ConveyorClientOptions { ServerUrl = server.Http.BaseAddress! });
        string id;
        ActivityContext root;
        using (var producer = Producer.StartActivity("signup", ActivityKind.Internal))
        {
            Assert.NotNull(producer);
            root = producer.Context;
            id = await client.EnqueueAsync(new TraceJob(1), TraceJobJsonContext.Default.TraceJob, new JobOptions { Queue = queue }, Ct);
        }

        var handler = await handled.Span.Task.WaitAsync(Patience, Ct);
        Assert.NotNull(handler);
        Assert.Equal(root.TraceId, handler.TraceId);

        var trace = root.TraceId.ToHexString();
        var publish = await SpanAsync(receiver, s => s.TraceId == trace && s.Name == $"publish {queue}");
        Assert.Equal("conveyor", publish.Service);
        Assert.Equal(JobTracing.SourceName, publish.Scope);
        Assert.Equal(root.SpanId.ToHexString(), publish.ParentSpanId); // the producer's span, from the job's meta
        Assert.Equal(handler.ParentSpanId.ToHexString(), publish.SpanId); // the handler runs under the server's enqueue span
        Assert.Equal(4, publish.Kind); // producer
        Assert.Equal("conveyor", publish.Attributes["messaging.system"]);
        Assert.Equal("publish", publish.Attributes["messaging.operation.type"]);
        Assert.Equal(queue, publish.Attributes["messaging.destination.name"]);
        Assert.Equal(id, publish.Attributes["messaging.message.id"]);
        Assert.StartsWith($"00-{trace}-{publish.SpanId}-", (await server.Api.GetAsync(id)).Meta["traceparent"], StringComparison.Ordinal);

        var receive = await SpanAsync(receiver, s => s.Name == $"receive {queue}" && s.Attributes.GetValueOrDefault("messaging.message.id") == id);
        Assert.Equal("receive", receive.Attributes["messaging.operation.type"]);
        var settle = await SpanAsync(receiver, s => s.Name == "settle" && s.Attributes.GetValueOrDefault("messaging.message.id") == id);
        Assert.Equal("settle", settle.Attributes["messaging.operation.type"]);

        string[] metrics = ["conveyor.jobs.enqueued", "conveyor.jobs.completed", "conveyor.job.pickup.duration", "conveyor.job.run.duration", "conveyor.queue.jobs", "kestrel.active_connections"];
        await UntilAsync(() => metrics.All(receiver.MetricNames.Contains));
        Assert.All(metrics, name => Assert.Contains(name, receiver.MetricNames));
    }

    [Fact]
    public async Task Otlp_FaktoryPushWithTraceparentInCustom_ServerSpanContinuesItAndTheFetchedJobNamesThatSpan()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var (server, port) = await FaktoryServer.StartAsync(o => o.Otlp = new OtlpExport(receiver.Endpoint, OtlpProtocol.HttpProtobuf) { ExportInterval = TimeSpan.FromMilliseconds(200) });
        await using var _ = server;
        var (trace, parent) = (ActivityTraceId.CreateRandom().ToHexString(), ActivitySpanId.CreateRandom().ToHexString());
        await using (var client = await RawFaktoryClient.OpenAsync(port))
        {
            Assert.Equal("+OK", await client.SendAsync(
                $"PUSH {{\"jid\":\"f1\",\"jobtype\":\"t\",\"args\":[],\"queue\":\"otlp-faktory\",\"custom\":{{\"traceparent\":\"00-{trace}-{parent}-01\"}}}}"));
        }

        var publish = await SpanAsync(receiver, s => s.TraceId == trace && s.Name == "publish otlp-faktory");
        Assert.Equal(parent, publish.ParentSpanId);
        Assert.Equal("f1", publish.Attributes["messaging.message.id"]);
        Assert.StartsWith($"00-{trace}-{publish.SpanId}-", (await server.Api.FetchOneAsync("otlp-faktory")).Meta["traceparent"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Otlp_NoEndpoint_NoListenerNothingExportedAndTheJobsTraceContextKept()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        // Were the exporter registered anyway, it would find the standard variables in the host's configuration.
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Endpoint.ToString());
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        try
        {
            await using var server = await RunningServer.StartAsync();
            Assert.False(JobTracing.Enabled);
            var traceparent = $"00-{ActivityTraceId.CreateRandom().ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";
            var id = await server.Api.EnqueueJobAsync(new EnqueueRequest { Type = "t", Queue = "otlp-off", Meta = new Dictionary<string, string> { ["traceparent"] = traceparent } });
            var leased = Assert.Single(await server.Api.FetchAsync("otlp-off"));
            using (var acked = await server.Api.AckAsync(leased.Id, leased.Lease!.Token))
            {
                acked.EnsureSuccessStatusCode();
            }

            Assert.Equal(traceparent, (await server.Api.GetAsync(id)).Meta["traceparent"]);
            await server.StopAsync(); // a registered exporter would flush now
            Assert.Equal(0, receiver.Requests);
        }
        finally
        {
            Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", null);
            Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", null);
        }
    }

    [Fact]
    public async Task Serve_StandardOtlpEnvironment_ExportsTheEnqueueSpanUnderTheServiceName()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var data = new TempDirectory("conveyor-otlp");
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "conveyor-under-test",
        };
        using var server = await ConveyorProcess.StartReadyAsync(data.Path, environment);
        using var http = new HttpClient { BaseAddress = server.Address };
        var api = new ApiClient(http);
        var trace = ActivityTraceId.CreateRandom().ToHexString();
        await api.EnqueueJobAsync(new EnqueueRequest
        {
            Type = "t",
            Queue = "otlp-cli",
            Meta = new Dictionary<string, string> { ["traceparent"] = $"00-{trace}-{ActivitySpanId.CreateRandom().ToHexString()}-01" },
        });
        Assert.Equal(0, await server.TerminateAsync()); // stopping flushes the span batch

        var publish = await SpanAsync(receiver, s => s.TraceId == trace && s.Name == "publish otlp-cli");
        Assert.Equal("conveyor-under-test", publish.Service);
    }

    private static async Task<IHost> StartWorkerAsync(RunningServer server, string queue, HandledSpan handled)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(handled);
        builder.Services.AddConveyorClient(o => o.ServerUrl = server.Http.BaseAddress!);
        builder.Services.AddConveyorWorker(o =>
            {
                o.FetchWait = TimeSpan.FromMilliseconds(300);
                o.AddQueue(queue, 1);
            })
            .AddHandler<TraceJob, TraceJobHandler>(TraceJobJsonContext.Default.TraceJob);
        var host = builder.Build();
        await host.StartAsync(Ct);
        return host;
    }

    private static async Task<OtlpSpan> SpanAsync(OtlpReceiver receiver, Func<OtlpSpan, bool> match)
    {
        await UntilAsync(() => receiver.Spans.Any(match));
        return receiver.Spans.First(match);
    }

    private static async Task UntilAsync(Func<bool> done)
    {
        var started = Stopwatch.GetTimestamp();
        while (!done() && Stopwatch.GetElapsedTime(started) < Patience)
        {
            await Task.Delay(50, Ct);
        }
    }
}
