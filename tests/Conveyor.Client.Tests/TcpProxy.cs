using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Conveyor.Client.Tests;

/// <summary>A TCP relay on 127.0.0.1 in front of a server, whose open connections a test can cut (a broken network).</summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int target;
    private readonly ConcurrentDictionary<Socket, Socket> pairs = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;

    public TcpProxy(int target)
    {
        this.target = target;
        listener.Start();
        accepting = Task.Run(AcceptAsync);
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");

    /// <summary>How many connections were cut so far.</summary>
    public int Cut { get; private set; }

    /// <summary>Resets every connection open now; new ones are relayed again.</summary>
    public void CutAll()
    {
        foreach (var (client, server) in pairs)
        {
            client.LingerState = new LingerOption(true, 0);
            client.Close();
            server.Close();
            pairs.TryRemove(client, out _);
            Cut++;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        CutAll();
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptSocketAsync(stop.Token);
            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, target, stop.Token);
            }
            catch (SocketException)
            {
                client.Close();
                server.Dispose();
                continue;
            }

            pairs[client] = server;
            _ = PumpAsync(client, server);
            _ = PumpAsync(server, client);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    break;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Cut, or the other side closed.
        }

        try
        {
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }
}
