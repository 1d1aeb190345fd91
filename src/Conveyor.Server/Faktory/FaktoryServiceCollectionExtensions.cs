using Conveyor.Broker.Workers;
using Microsoft.Extensions.DependencyInjection;

namespace Conveyor.Server.Faktory;

/// <summary>The Faktory listener's services: the worker registry (also behind <c>/v1/workers</c>), the INFO counters and the
/// rate-limited log of refused HELLOs.</summary>
internal static class FaktoryServiceCollectionExtensions
{
    public static IServiceCollection AddFaktory(this IServiceCollection services)
    {
        services.AddSingleton(sp => new WorkerRegistry(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new FaktoryServerState(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<FaktoryRefusalLog>();
        return services;
    }
}
