using Conveyor.Storage.Embedded;
using Conveyor.Testing;
using Microsoft.AspNetCore.Builder;

namespace Conveyor.Server.Tests;

/// <summary>A real server on 127.0.0.1 with a free port, durability none and a temp data directory, and a client for it.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly TempDirectory data;
    private readonly WebApplication app;

    private RunningServer(TempDirectory data, WebApplication app, HttpClient http)
    {
        this.data = data;
        this.app = app;
        Http = http;
        Api = new ApiClient(http);
    }

    public HttpClient Http { get; }

    public ApiClient Api { get; }

    /// <summary>The server's data directory (its keys file lives there).</summary>
    public string DataDirectory => data.Path;

    /// <summary>Stops the server (graceful: hosted services flush); disposing afterwards is still fine.</summary>
    public Task StopAsync() => app.StopAsync(TestContext.Current.CancellationToken);

    public static async Task<RunningServer> StartAsync(Action<ConveyorServerOptions>? configure = null)
    {
        var data = new TempDirectory("conveyor-server-test");
        var options = new ConveyorServerOptions
        {
            DataDirectory = data.Path,
            BindAddress = "127.0.0.1",
            HttpPort = 0,
            Durability = DurabilityMode.None,
        };
        configure?.Invoke(options);
        var app = ConveyorServer.Build(options, ["--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Conveyor=Warning"]);
        await app.StartAsync(TestContext.Current.CancellationToken);
        await app.WaitUntilReadyAsync(TestContext.Current.CancellationToken);
        var http = new HttpClient { BaseAddress = app.GetHttpAddress(), Timeout = TimeSpan.FromSeconds(60) };
        return new RunningServer(data, app, http);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        data.Dispose();
    }
}
