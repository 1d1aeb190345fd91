using Conveyor.Contracts.Json;
using Conveyor.Contracts.Queues;
using Conveyor.Server;
using Conveyor.Storage.Embedded;
using Conveyor.Testing;
using Microsoft.AspNetCore.Builder;

namespace Conveyor.Client.Tests;

/// <summary>A real Conveyor server on 127.0.0.1 with a free port, a temp data directory and fast maintenance.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly TempDirectory data;
    private readonly WebApplication app;
    private bool disposed;

    private TestServer(TempDirectory data, WebApplication app, int grpcPort)
    {
        this.data = data;
        this.app = app;
        Url = app.GetHttpAddress();
        GrpcUrl = grpcPort == 0 ? null : new Uri($"http://127.0.0.1:{grpcPort}/");
        Http = new HttpClient { BaseAddress = Url };
        Client = new ConveyorClient(Http, new ConveyorClientOptions { ServerUrl = Url });
        Client.Transport.Options.SerializerOptions.TypeInfoResolverChain.Insert(0, TestJsonContext.Default);
    }

    public Uri Url { get; }

    /// <summary>The gRPC address when the server was started for the <c>grpc</c> transport; null when its gRPC port is off.</summary>
    public Uri? GrpcUrl { get; }

    public HttpClient Http { get; }

    /// <summary>The server's services (its broker, its worker registry).</summary>
    public IServiceProvider Services => app.Services;

    /// <summary>A client without DI, knowing the test job types.</summary>
    public ConveyorClient Client { get; }

    public static Task<TestServer> StartAsync(Action<ConveyorServerOptions>? configure = null) => StartAsync(Transports.Http, configure);

    /// <summary>A server for a worker on <paramref name="transport"/>: <c>grpc</c> turns its gRPC port on (and <see cref="TestWorker"/> then uses it).</summary>
    public static async Task<TestServer> StartAsync(string transport, Action<ConveyorServerOptions>? configure = null)
    {
        var grpcPort = transport == Transports.Grpc ? FreePort() : 0;
        var data = new TempDirectory("conveyor-client-test");
        var options = new ConveyorServerOptions
        {
            DataDirectory = data.Path,
            BindAddress = "127.0.0.1",
            HttpPort = 0,
            Durability = DurabilityMode.None,
            GrpcPort = grpcPort,
        };
        options.Broker.MaintenanceInterval = TimeSpan.FromMilliseconds(100);
        configure?.Invoke(options);
        var app = ConveyorServer.Build(options, ["--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync(TestContext.Current.CancellationToken);
        await app.WaitUntilReadyAsync(TestContext.Current.CancellationToken);
        return new TestServer(data, app, grpcPort);
    }

    /// <summary>A TCP port free on 127.0.0.1 right now.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task<StatsResponse> StatsAsync()
    {
        var body = await Http.GetByteArrayAsync(new Uri("v1/stats", UriKind.Relative));
        return System.Text.Json.JsonSerializer.Deserialize(body, ConveyorJsonContext.Default.StatsResponse)!;
    }

    /// <summary>Stops the server; a test may call it early to see clients lose it, and the <c>await using</c> then does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        Http.Dispose();
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        data.Dispose();
    }
}
