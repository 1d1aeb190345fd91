using static Conveyor.Server.Tests.Grpc.GrpcTestServer;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace Conveyor.Server.Tests.Grpc;

/// <summary>Server reflection (v1 and v1alpha) lists the services, so tools such as grpcurl work without the .proto.</summary>
public sealed class GrpcReflectionTests
{
    [Fact]
    public async Task ReflectionV1Alpha_ListServices_NamesTheConveyorServiceAndHealth()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        using var call = new V1Alpha.ServerReflection.ServerReflectionClient(grpc.Channel).ServerReflectionInfo(Call());

        await call.RequestStream.WriteAsync(new V1Alpha.ServerReflectionRequest { ListServices = "" }, TestContext.Current.CancellationToken);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Contains("conveyor.v1.ConveyorService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact]
    public async Task ReflectionV1_FileContainingSymbol_AnswersTheProto()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        using var call = new V1.ServerReflection.ServerReflectionClient(grpc.Channel).ServerReflectionInfo(Call());

        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { FileContainingSymbol = "conveyor.v1.ConveyorService" }, TestContext.Current.CancellationToken);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto;

        Assert.NotEmpty(files);
        Assert.Contains(files, f => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(f).Name == "conveyor/v1/conveyor.proto");
    }
}
