using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Conveyor.Client.Tests;

public sealed class HealthCheckTests
{
    [Fact]
    public async Task HealthCheck_RealServer_HealthyThenDegradedOnLatencyThenUnhealthyWhenStopped()
    {
        await using var server = await TestServer.StartAsync();
        await using var services = Services(server, o => o.MaxLatency("health", TimeSpan.FromMilliseconds(200)));
        var health = services.GetRequiredService<HealthCheckService>();

        var healthy = await health.CheckHealthAsync(TestContext.Current.CancellationToken);
        await server.Client.PauseQueueAsync("health");
        await server.Client.EnqueueAsync(new CountJob(1), new JobOptions { Queue = "health" });
        await Eventually.HoldsAsync(async () => (await health.CheckHealthAsync(TestContext.Current.CancellationToken)).Status == HealthStatus.Degraded,
            "the waiting job to make the queue late");
        await server.DisposeAsync();
        var stopped = await health.CheckHealthAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(HealthStatus.Unhealthy, stopped.Status);
        Assert.Contains("did not answer", stopped.Entries["conveyor"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddConveyorClient_Registers_TheInterfaceAsTheSameSingleton()
    {
        await using var server = await TestServer.StartAsync();
        await using var services = Services(server, null);

        Assert.Same(services.GetRequiredService<ConveyorClient>(), services.GetRequiredService<IConveyorClient>());
    }

    private static ServiceProvider Services(TestServer server, Action<Health.ConveyorHealthCheckOptions>? configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddConveyorClient(o =>
        {
            o.ServerUrl = server.Url;
            o.RequestTimeout = TimeSpan.FromSeconds(5);
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, TestJsonContext.Default);
        });
        services.AddHealthChecks().AddConveyor(configure);
        return services.BuildServiceProvider();
    }
}
