using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Conveyor.Server.Tests.Faktory;

/// <summary>
/// A large job over Faktory FETCH: reset by the client before it read the job, the lease goes back at once, each
/// time; read in full, it stays with the worker.
/// </summary>
public sealed class FaktoryFetchDeliveryTests
{
    /// <summary>Just under the args limit: the reply is held in the server's send queue, not in the client's window.</summary>
    private static readonly string Payload = new('x', 1000 * 1000);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fetch_LargeJobResetBeforeItIsRead_ReleasesItsLeaseEveryTime()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using (server)
        {
            await ApiClient.ExpectAsync(
                await server.Api.PostRawAsync("v1/jobs", $"{{\"type\":\"big\",\"queue\":\"big\",\"args\":[\"{Payload}\"]}}"), HttpStatusCode.Created);

            for (var round = 0; round < 5; round++)
            {
                await FetchAndResetAsync(port);

                await WaitUntilAsync(async () => (await server.Api.StatsAsync()).Counts["active"] == 0, $"round {round}: the lease to be released");
                Assert.Equal(1, (await server.Api.StatsAsync()).Counts["available"]);
            }

            Assert.Equal(1, (await server.Api.FetchOneAsync("big")).Attempt);
        }
    }

    [Fact]
    public async Task Fetch_LargeJobReadInFull_KeepsItsLease()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using (server)
        {
            await ApiClient.ExpectAsync(
                await server.Api.PostRawAsync("v1/jobs", $"{{\"type\":\"big\",\"queue\":\"big\",\"args\":[\"{Payload}\"]}}"), HttpStatusCode.Created);
            await using var client = await RawFaktoryClient.OpenAsync(port);

            var job = await client.SendAsync("FETCH big");

            Assert.Contains(Payload, job, StringComparison.Ordinal);
            var stats = await server.Api.StatsAsync();
            Assert.Equal(1, stats.Counts["active"]);
            Assert.Equal(0, stats.Counts["available"]);
        }
    }

    /// <summary>Handshakes with a receive window pinned at 8 KiB, sends FETCH, reads the reply's first bytes and resets.</summary>
    private static async Task FetchAndResetAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 8 * 1024 };
        await socket.ConnectAsync(IPAddress.Loopback, port, Ct);
        Assert.StartsWith("+HI", await ReadLineAsync(socket), StringComparison.Ordinal);
        await socket.SendAsync("HELLO {\"hostname\":\"test\",\"v\":2}\r\n"u8.ToArray(), SocketFlags.None, Ct);
        Assert.Equal("+OK", await ReadLineAsync(socket));
        await socket.SendAsync("FETCH big\r\n"u8.ToArray(), SocketFlags.None, Ct);
        var buffer = new byte[16];
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, Ct);
        Assert.True(read > 0 && buffer[0] == (byte)'$', Encoding.ASCII.GetString(buffer, 0, read));
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    /// <summary>One line, read a byte at a time so nothing after it is taken from the socket.</summary>
    private static async Task<string> ReadLineAsync(Socket socket)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await socket.ReceiveAsync(one, SocketFlags.None, Ct) == 1 && one[0] != '\n')
        {
            line.Append((char)one[0]);
        }

        return line.ToString().TrimEnd('\r');
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        for (var waited = 0; waited < 600; waited++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50, Ct);
        }

        Assert.Fail($"timed out waiting for {what}");
    }
}
