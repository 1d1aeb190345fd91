using System.Diagnostics.Metrics;
using Conveyor.Client;
using Conveyor.Client.Diagnostics;
using Conveyor.Client.Http;
using Conveyor.Client.Worker;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Conveyor's client and worker host.</summary>
public static class ConveyorServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the SDK asks <see cref="IHttpClientFactory"/> for; add handlers to it with <c>services.AddHttpClient(name)</c>.</summary>
    public const string HttpClientName = "Conveyor";

    /// <summary>
    /// Registers a singleton <see cref="ConveyorClient"/>, also as <see cref="IConveyorClient"/>, configured by <paramref name="configure"/>, on a pooled
    /// <see cref="System.Net.Http.SocketsHttpHandler"/> from <see cref="IHttpClientFactory"/>. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddConveyorClient(this IServiceCollection services, Action<ConveyorClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ConveyorClientOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(ConveyorClient)))
        {
            return services;
        }

        services.AddHttpClient(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptions<ConveyorClientOptions>>().Value;
                return new SocketsHttpHandler { PooledConnectionLifetime = options.PooledConnectionLifetime, ConnectTimeout = options.RequestTimeout };
            })
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        services.TryAddSingleton(sp =>
        {
            var factory = sp.GetRequiredService<IHttpClientFactory>();
            var options = sp.GetRequiredService<IOptions<ConveyorClientOptions>>().Value;
            return new ConveyorClient(new ConveyorTransport(() => factory.CreateClient(HttpClientName), options));
        });
        services.TryAddSingleton<IConveyorClient>(sp => sp.GetRequiredService<ConveyorClient>());
        return services;
    }

    /// <summary>
    /// Registers the worker host (an <see cref="IHostedService"/>) configured by <paramref name="configure"/>, and the client it
    /// uses. Add handlers to the returned builder: <c>.AddHandler&lt;SendEmail, SendEmailHandler&gt;()</c>.
    /// </summary>
    public static ConveyorWorkerBuilder AddConveyorWorker(this IServiceCollection services, Action<ConveyorWorkerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddConveyorClient();
        services.AddOptions<ConveyorWorkerOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(sp => new WorkerTelemetry(sp.GetService<IMeterFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ConveyorWorkerService>());
        return new ConveyorWorkerBuilder(services);
    }
}
