using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Conveyor.Cli.Bench;

/// <summary>
/// The machine's loopback round trip, the other half of the ceiling of one request in flight: 256 bytes sent
/// over a TCP connection on 127.0.0.1 and echoed back, one at a time, between two threads of this process
/// blocked in <c>send</c>/<c>recv</c> (no HTTP, no thread pool). Every request to the server pays at least this
/// on top of its fsync; on a virtual machine most of it is waking a sleeping CPU on each side.
/// </summary>
internal static class RoundTripProbe
{
    private const int MessageBytes = 256;

    private const string Name = "loopback round trip probe (256 B each way)";

    public static async Task<BenchRow> RunAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(listener.LocalEndPoint!, cancellationToken).ConfigureAwait(false);
        using var server = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
        server.NoDelay = true;

        // Blocking calls on threads of their own, as the fsync probe does: the thread pool is not what is measured.
        var echo = Task.Factory.StartNew(() => Echo(server), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var latency = new LatencySamples();
        var (count, seconds) = await Task.Factory.StartNew(
            () => PingPong(client, duration, latency, cancellationToken),
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).ConfigureAwait(false);
        client.Shutdown(SocketShutdown.Send);
        await echo.ConfigureAwait(false);

        return BenchRow.Probe(Name, count, seconds, "one send + echo", latency, "round trips/s in the jobs/s column");
    }

    private static (long Count, double Seconds) PingPong(Socket socket, TimeSpan duration, LatencySamples latency, CancellationToken cancellationToken)
    {
        var message = new byte[MessageBytes];
        var answer = new byte[MessageBytes];
        long count = 0;
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < duration && !cancellationToken.IsCancellationRequested)
        {
            var before = Stopwatch.GetTimestamp();
            socket.Send(message);
            ReceiveExactly(socket, answer);
            latency.AddSince(before);
            count++;
        }

        return (count, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static void Echo(Socket socket)
    {
        var buffer = new byte[MessageBytes];
        int read;
        while ((read = socket.Receive(buffer)) > 0)
        {
            socket.Send(buffer.AsSpan(0, read));
        }
    }

    private static void ReceiveExactly(Socket socket, byte[] buffer)
    {
        var received = 0;
        while (received < buffer.Length)
        {
            var read = socket.Receive(buffer.AsSpan(received));
            if (read == 0)
            {
                throw new BenchException("the loopback round trip probe's connection closed early");
            }

            received += read;
        }
    }
}
