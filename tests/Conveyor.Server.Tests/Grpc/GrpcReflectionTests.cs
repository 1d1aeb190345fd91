using Grpc.Reflection.V1Alpha;
using static Conveyor.Server.Tests.Grpc.GrpcTestServer;

namespace Conveyor.Server.Tests.Grpc;

/// <summary>Server reflection lists the service, so tools such as grpcurl work without the .proto.</summary>
public sealed class GrpcReflectionTests
{
    [Fact]
    public async Task Reflection_ListServices_NamesTheConveyorServiceAndHealth()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        using var call = new ServerReflection.ServerReflectionClient(grpc.Channel).ServerReflectionInfo(Call());

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }, TestContext.Current.CancellationToken);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Contains("conveyor.v1.ConveyorService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }
}
