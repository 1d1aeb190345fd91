using Conveyor.Core.Security;
using Conveyor.Grpc.V1;
using Conveyor.Server.Security;
using Grpc.Health.V1;
using Grpc.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ProtoServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Conveyor.Server.Grpc;

/// <summary>Wires the gRPC API (docs/grpc.md): the Conveyor service, health and reflection.</summary>
internal static class GrpcServiceCollectionExtensions
{
    public static void AddConveyorGrpc(this IServiceCollection services, ConveyorServerOptions options)
    {
        services.AddGrpc(grpc =>
        {
            // A batch enqueue or settle may be as large as its HTTP body.
            grpc.MaxReceiveMessageSize = (int)Math.Min(options.MaxBatchBodyBytes, int.MaxValue);
            grpc.MaxSendMessageSize = null;
            grpc.EnableDetailedErrors = false;
            grpc.Interceptors.Add<GrpcErrorInterceptor>();
        });
        services.AddGrpcHealthChecks().AddCheck<StoreReadinessCheck>("store");
        // Reflection answers from the generated descriptors of the services served (no runtime type discovery: AOT-safe).
        ProtoServiceDescriptor[] served = [ConveyorService.Descriptor, Health.Descriptor];
        services.AddSingleton(new ReflectionServiceImpl(served));
        services.AddSingleton(new ReflectionV1ServiceImpl(served));
    }

    public static void MapConveyorGrpc(this WebApplication app)
    {
        app.MapGrpcService<ConveyorGrpcService>().RequireMethodScopes();
        app.MapGrpcHealthChecksService().AllowWithoutKey();
        app.MapGrpcService<ReflectionServiceImpl>().RequireScope(ApiScope.Read);
        app.MapGrpcService<ReflectionV1ServiceImpl>().RequireScope(ApiScope.Read);
    }
}
