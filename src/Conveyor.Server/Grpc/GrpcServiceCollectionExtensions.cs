using Conveyor.Core.Security;
using Conveyor.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

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
        services.AddGrpcReflection();
    }

    public static void MapConveyorGrpc(this WebApplication app)
    {
        app.MapGrpcService<ConveyorGrpcService>().RequireMethodScopes();
        app.MapGrpcHealthChecksService().AllowWithoutKey();
        app.MapGrpcReflectionService().RequireScope(ApiScope.Read);
    }
}
