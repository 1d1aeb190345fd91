using Conveyor.Client;
using Conveyor.Client.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Conveyor health check to <c>services.AddHealthChecks()</c>.</summary>
public static class ConveyorHealthCheckBuilderExtensions
{
    /// <summary>
    /// Checks that the Conveyor server answers (through the <see cref="IConveyorClient"/> that <c>AddConveyorClient</c>
    /// registered) and, optionally, that named queues' latency stays under a limit:
    /// <c>.AddConveyor(o => o.MaxLatency("mail", TimeSpan.FromMinutes(5)))</c>.
    /// </summary>
    /// <returns>The builder, for chaining.</returns>
    public static IHealthChecksBuilder AddConveyor(
        this IHealthChecksBuilder builder,
        Action<ConveyorHealthCheckOptions>? configure = null,
        string name = "conveyor",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new ConveyorHealthCheckOptions();
        configure?.Invoke(options);
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new ConveyorHealthCheck(
                sp.GetRequiredService<IConveyorClient>(), options, sp.GetRequiredService<IOptions<ConveyorClientOptions>>().Value.TimeProvider),
            failureStatus,
            tags,
            timeout));
    }
}
