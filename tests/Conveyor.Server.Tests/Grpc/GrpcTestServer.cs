using Conveyor.Grpc.V1;
using Conveyor.Server.Tests.Faktory;
using Grpc.Core;
using Grpc.Net.Client;

namespace Conveyor.Server.Tests.Grpc;

/// <summary>A <see cref="RunningServer"/> with its gRPC port on, and a client for it (Grpc.Net.Client over h2c).</summary>
internal sealed class GrpcTestServer : IAsyncDisposable
{
    private GrpcTestServer(RunningServer server, int port)
    {
        Server = server;
        Port = port;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        Client = new ConveyorService.ConveyorServiceClient(Channel);
    }

    public RunningServer Server { get; }

    public int Port { get; }

    public GrpcChannel Channel { get; }

    public ConveyorService.ConveyorServiceClient Client { get; }

    public static async Task<GrpcTestServer> StartAsync(Action<ConveyorServerOptions>? configure = null)
    {
        var port = FaktoryServer.FreePort();
        var server = await RunningServer.StartAsync(o =>
        {
            o.GrpcPort = port;
            configure?.Invoke(o);
        });
        return new GrpcTestServer(server, port);
    }

    /// <summary>The call options of a call made with an API key (none when null).</summary>
    public static CallOptions WithKey(string? key, DateTime? deadline = null) =>
        new(headers: key is null ? null : new Metadata { { "authorization", "Bearer " + key } }, deadline: deadline, cancellationToken: TestContext.Current.CancellationToken);

    public static CallOptions Call(DateTime? deadline = null) => WithKey(null, deadline);

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await Server.DisposeAsync();
    }
}
