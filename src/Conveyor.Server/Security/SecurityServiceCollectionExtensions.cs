using System.Net;
using Conveyor.Storage.Embedded.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conveyor.Server.Security;

/// <summary>Wires API keys, protected mode and the browser-safety filters into the server (docs/security.md).</summary>
internal static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Registers the keys and checks protected mode: without keys an exposed bind refuses to start unless
    /// <see cref="ConveyorServerOptions.Insecure"/>.
    /// </summary>
    /// <exception cref="ServerConfigurationException">Protected mode refuses, or the keys cannot be read.</exception>
    public static void AddConveyorSecurity(this IServiceCollection services, ConveyorServerOptions options, IPAddress bound)
    {
        var store = options.ApiKeys ?? new FileApiKeyStore(options.DataDirectory);
        var protectedMode = new ProtectedMode(!ProtectedMode.IsLoopback(options.BindAddress), options.Insecure);
        bool hasKeys;
        try
        {
            // Synchronous by design: the embedded file store completes at once, and Build is synchronous.
            hasKeys = store.ListAsync().AsTask().GetAwaiter().GetResult().Count > 0;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new ServerConfigurationException($"the API keys cannot be read: {ex.Message}");
        }

        if (!hasKeys && protectedMode.RefusesWithoutKeys)
        {
            throw new ServerConfigurationException(ProtectedMode.RefusalMessage(options.BindAddress, options.DataDirectory));
        }

        services.AddSingleton(store);
        services.AddSingleton(protectedMode);
        services.AddSingleton(sp =>
        {
            // Loaded before the first request can ask: an empty set would let it through unauthenticated.
            var registry = new ApiKeyRegistry(store, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ApiKeyRegistry>>());
            registry.LoadAsync().AsTask().GetAwaiter().GetResult();
            return registry;
        });
        services.AddHostedService<ApiKeyUsageFlusher>();
        services.AddSingleton(new HostFilter(bound, options.AllowedHosts));
        services.AddSingleton(sp => new ApiKeyAuthorization(sp.GetRequiredService<ApiKeyRegistry>(), protectedMode, options.DataDirectory));
    }

    /// <summary>Security headers on every answer; call first, before the exception handler.</summary>
    public static void UseSecurityHeaders(this WebApplication app) => app.Use(SecurityHeaders.InvokeAsync);

    /// <summary>Host check, JSON-only state changes, routing, then the scope check.</summary>
    public static void UseRequestGuards(this WebApplication app)
    {
        var hosts = app.Services.GetRequiredService<HostFilter>();
        var authorization = app.Services.GetRequiredService<ApiKeyAuthorization>();
        app.Use(hosts.InvokeAsync);
        app.Use(JsonRequestFilter.InvokeAsync);
        app.UseRouting();
        app.Use(authorization.InvokeAsync);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var options = app.Services.GetRequiredService<ConveyorServerOptions>();
            if (options.Insecure)
            {
                SecurityLog.InsecureStart(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Conveyor.Security"), options.BindAddress, ProtectedMode.HowToCreateKey(options.DataDirectory));
            }
        });
    }
}
