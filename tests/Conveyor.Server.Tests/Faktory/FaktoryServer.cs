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

    public static async Task<(RunningServer Server, int Port)> StartAsync(string? password = null)
    {
        var port = FreePort();
        var server = await RunningServer.StartAsync(o =>
        {
            o.FaktoryPort = port;
            o.FaktoryPassword = password;
        });
        return (server, port);
    }
}
