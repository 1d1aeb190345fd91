using Conveyor.Grpc.V1;
using Conveyor.Server.Tests.Faktory;
using Conveyor.Server.Tests.Tls;
using Grpc.Net.Client;
using static Conveyor.Server.Tests.Grpc.GrpcTestServer;

namespace Conveyor.Server.Tests.Grpc;

/// <summary>With a certificate, gRPC runs over TLS: on the gRPC port and on the HTTP port (HTTP/2 by ALPN).</summary>
public sealed class GrpcTlsTests
{
    [Fact]
    public async Task Tls_HttpPortAndGrpcPort_BothServeGrpcOverTls()
    {
        var grpcPort = FaktoryServer.FreePort();
        await using var tls = await TlsServer.StartAsync(o => o.GrpcPort = grpcPort);
        using var onHttpPort = GrpcChannel.ForAddress(tls.Address, new GrpcChannelOptions { HttpHandler = tls.Authority.CreateHandler() });
        using var onGrpcPort = GrpcChannel.ForAddress($"https://127.0.0.1:{grpcPort}", new GrpcChannelOptions { HttpHandler = tls.Authority.CreateHandler() });

        var created = await new ConveyorService.ConveyorServiceClient(onHttpPort).EnqueueAsync(new EnqueueRequest { Id = "tls-1", Type = "t" }, Call());
        var job = await new ConveyorService.ConveyorServiceClient(onGrpcPort).GetJobAsync(new GetJobRequest { Id = "tls-1" }, Call());

        Assert.Equal("https", tls.Address.Scheme);
        Assert.True(created.Created);
        Assert.Equal(JobState.Available, job.State);
    }
}
