using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Conveyor.Broker;
using Conveyor.Contracts.Json;
using Conveyor.Core.Security;
using Conveyor.Server.Dashboard;
using Conveyor.Server.Endpoints;
using Conveyor.Server.Errors;
using Conveyor.Server.Faktory;
using Conveyor.Server.Grpc;
using Conveyor.Server.Hosting;
using Conveyor.Server.Security;
using Conveyor.Server.Telemetry;
using Conveyor.Server.Tls;
using Conveyor.Storage.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conveyor.Server;

/// <summary>The composition root: one call builds a runnable Conveyor server (used by <c>conveyor serve</c> and the tests).</summary>
public static class ConveyorServer
{
    /// <summary>
    /// Builds the server: Kestrel on <see cref="ConveyorServerOptions.BindAddress"/> only, the <c>/v1</c> API,
    /// health probes and the OpenAPI document. The store opens (recovers) in the background once the app
    /// starts; <c>/readyz</c> says when. Run it with <c>RunAsync</c>, or <c>StartAsync</c> and
    /// <see cref="GetHttpAddress"/>.
    /// </summary>
    /// <param name="options">What to serve and where.</param>
    /// <param name="args">Extra host configuration (<c>--Logging:LogLevel:Default=Warning</c>, ...).</param>
    /// <exception cref="ServerConfigurationException">The options cannot be used.</exception>
    public static WebApplication Build(ConveyorServerOptions options, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = Validate(options);
        var certificate = LoadCertificate(options);
        // Configuration is read once: reloading on change watches the whole content root (the working
        // directory) recursively, and the default data directory lies inside it, so every WAL write woke
        // the file-watcher thread.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false", .. args ?? []] });
        // ASP.NET Core logs six lines per request at Information: on the job hot path that costs more than
        // the request itself. Operators keep warnings and errors; `--Logging:LogLevel:Microsoft.AspNetCore=Information` brings them back.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // This category logs requests only (Information and Debug), but while it is enabled at any level the host opens a
        // log scope and starts an Activity for every request: ~15 % of a one-job fetch's allocations. Traces (OTLP) still
        // get their Activity, started for the tracing listener.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning); // a line for every call that ends with an error status
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
            console.UseUtcTimestamp = true;
        });
        if (certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        if (options.LoggerProvider is { } provider)
        {
            builder.Logging.AddProvider(provider);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(endpoint, http =>
            {
                if (certificate is not null)
                {
                    http.Protocols = HttpProtocols.Http1AndHttp2;
                    http.UseHttps(certificate.ToHttpsOptions());
                }
            });
            kestrel.Limits.MaxRequestBodySize = options.MaxJobBodyBytes;
            if (options.GrpcPort != 0)
            {
                kestrel.Listen(endpoint.Address, options.GrpcPort, grpc =>
                {
                    // gRPC needs HTTP/2: prior knowledge (h2c) in plain text, ALPN under TLS.
                    grpc.Protocols = HttpProtocols.Http2;
                    if (certificate is not null)
                    {
                        grpc.UseHttps(certificate.ToHttpsOptions());
                    }
                });
            }

            if (options.FaktoryPort != 0)
            {
                kestrel.Listen(endpoint.Address, options.FaktoryPort, faktory =>
                {
                    if (certificate is not null)
                    {
                        faktory.UseHttps(certificate.ToHttpsOptions()); // the TLS layer sits under the Faktory handler
                    }

                    faktory.UseConnectionHandler<FaktoryConnectionHandler>();
                });
            }
        });

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(options.Time);
        services.AddSingleton<IOptions<BrokerOptions>>(Options.Create(options.Broker));
        services.AddSingleton<BrokerRuntime>();
        services.AddSingleton(new StartupSchedules(
            options.CronFile is { } cronFile ? [.. options.Schedules, .. CronFileReader.Read(cronFile, options.Time.GetUtcNow())] : options.Schedules));
        services.AddHostedService<StoreHostedService>();
        services.AddFaktory();
        services.AddConveyorMetrics(options.Otlp);
        services.AddDashboard();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ConveyorJsonContext.Default);
            json.SerializerOptions.TypeInfoResolverChain.Add(ServerJsonContext.Default);
            json.SerializerOptions.TypeInfoResolverChain.Add(DashboardJsonContext.Default);
        });
        services.Configure<RouteHandlerOptions>(routing => routing.ThrowOnBadRequest = true);
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            if (context.ProblemDetails.Type is null || !context.ProblemDetails.Type.StartsWith("https://conveyor.dev/", StringComparison.Ordinal))
            {
                context.ProblemDetails.Type = ApiProblems.TypeForStatus(status);
            }
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOpenApi(OpenApiBearerScheme.Add);
        services.AddConveyorSecurity(options, endpoint.Address);
        var grpc = options.GrpcPort != 0 || certificate is not null;
        if (grpc)
        {
            services.AddConveyorGrpc(options);
        }

        var app = builder.Build();
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestGuards();
        app.MapHealthEndpoints();
        app.MapOpenApi().RequireScope(ApiScope.Read);
        app.MapPrometheusScrapingEndpoint().WithMetadata(new HttpMethodMetadata([HttpMethods.Get])).RequireScope(ApiScope.Read);
        var v1 = app.MapGroup("/v1");
        v1.MapJobEndpoints(options);
        v1.MapWorkerEndpoints(options);
        v1.MapLeaseEndpoints();
        v1.MapProgressEndpoints();
        v1.MapQueueEndpoints();
        v1.MapWorkerRegistryEndpoints();
        v1.MapBulkEndpoints();
        app.MapDashboard(v1);
        v1.MapCronEndpoints(options);
        if (grpc)
        {
            app.MapConveyorGrpc();
        }

        return app;
    }

    /// <summary>The address the started server listens on, e.g. <c>http://127.0.0.1:7420/</c> (with the real port when 0 was asked).</summary>
    public static Uri GetHttpAddress(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("the server is not listening yet; call StartAsync first");
        return new Uri(first.EndsWith('/') ? first : first + "/");
    }

    /// <summary>Completes when the store has recovered and the API serves; throws the reason when it could not open.</summary>
    public static async Task WaitUntilReadyAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.Services.GetRequiredService<BrokerRuntime>().Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Why the store could not be opened, or null (the server stops by itself in that case).</summary>
    public static Exception? GetStartupFailure(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<BrokerRuntime>().Failure;
    }

    private static ServerCertificate? LoadCertificate(ConveyorServerOptions options)
    {
        var (certificate, key) = (options.TlsCertificatePath, options.TlsKeyPath);
        if (string.IsNullOrWhiteSpace(certificate) != string.IsNullOrWhiteSpace(key))
        {
            throw new ServerConfigurationException("--tls-cert and --tls-key must be given together (a PEM certificate and its PEM private key)");
        }

        return string.IsNullOrWhiteSpace(certificate) ? null : ServerCertificate.Load(certificate, key!);
    }

    private static IPEndPoint Validate(ConveyorServerOptions options)
    {
        if (options.Store == StoreKind.Postgres && string.IsNullOrWhiteSpace(options.PostgresConnectionString))
        {
            throw new ServerConfigurationException("--store postgres needs a connection string: --postgres \"Host=...;Database=...\" (or CONVEYOR_POSTGRES)");
        }

        if (options.Store == StoreKind.Postgres && !PostgresStoreOptions.IsValidSchema(options.PostgresSchema))
        {
            throw new ServerConfigurationException(
                $"--postgres-schema must be lower-case letters, digits and underscores (not first), at most 50 characters, not '{options.PostgresSchema}'");
        }

        if (options.Store == StoreKind.Postgres && options.PostgresLeaderLease < TimeSpan.FromSeconds(1))
        {
            throw new ServerConfigurationException("--postgres-leader-lease must be at least 1 second");
        }

        if (options.HttpPort is < 0 or > IPEndPoint.MaxPort)
        {
            throw new ServerConfigurationException($"the HTTP port must be 0–{IPEndPoint.MaxPort}, not {options.HttpPort}");
        }

        if (options.FaktoryPort is < 0 or > IPEndPoint.MaxPort || (options.FaktoryPort != 0 && options.FaktoryPort == options.HttpPort))
        {
            throw new ServerConfigurationException($"the Faktory port must be 0 (off) or 1–{IPEndPoint.MaxPort} and differ from the HTTP port, not {options.FaktoryPort}");
        }

        if (options.GrpcPort is < 0 or > IPEndPoint.MaxPort
            || (options.GrpcPort != 0 && (options.GrpcPort == options.HttpPort || options.GrpcPort == options.FaktoryPort)))
        {
            throw new ServerConfigurationException($"the gRPC port must be 0 (off) or 1–{IPEndPoint.MaxPort} and differ from the HTTP and Faktory ports, not {options.GrpcPort}");
        }

        if (options.FaktoryLimits is not { MaxConnections: > 0, MaxLineBytes: >= FaktoryLimits.HelloLineBytes } faktory
            || faktory.HandshakeTimeout <= TimeSpan.Zero || faktory.IdleTimeout <= TimeSpan.Zero)
        {
            throw new ServerConfigurationException(
                $"the Faktory connection cap and timeouts must be positive and the line limit at least {FaktoryLimits.HelloLineBytes} bytes");
        }

        if (!options.Retention.IsValid)
        {
            throw new ServerConfigurationException("retention counts and windows must not be negative");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            throw new ServerConfigurationException("the data directory must be given");
        }

        if (options.SnapshotAfterBytes < 1 << 20)
        {
            throw new ServerConfigurationException($"snapshots must be at least 1 MiB of WAL apart, not {options.SnapshotAfterBytes} bytes");
        }

        var address = options.BindAddress.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            ? IPAddress.Loopback
            : IPAddress.TryParse(options.BindAddress, out var parsed)
                ? parsed
                : throw new ServerConfigurationException($"the bind address must be an IP address or localhost, not '{options.BindAddress}'");
        return new IPEndPoint(address, options.HttpPort);
    }
}
