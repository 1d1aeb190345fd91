using System.Net;
using System.Net.Sockets;

namespace Conveyor.Server.Tests.Faktory;

/// <summary>A running server with the Faktory listener on a free port.</summary>
internal static class FaktoryServer
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static Task<(RunningServer Server, int Port)> StartAsync(string? password = null) =>
        StartAsync(o => o.FaktoryPassword = password);

    /// <summary>As <see cref="StartAsync(string?)"/> with more options set (limits, a captured log).</summary>
    public static async Task<(RunningServer Server, int Port)> StartAsync(Action<ConveyorServerOptions> configure)
    {
        var port = FreePort();
        var server = await RunningServer.StartAsync(o =>
        {
            o.FaktoryPort = port;
            configure(o);
        });
        return (server, port);
    }
}
