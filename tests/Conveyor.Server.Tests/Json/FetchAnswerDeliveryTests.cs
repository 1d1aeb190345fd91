using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Conveyor.Server.Tests.Json;

/// <summary>
/// A large fetch answer over a real socket: reset by the client while most of it is still queued on the server, it
/// hands every lease back each time; read to the end, it keeps them.
/// </summary>
public sealed class FetchAnswerDeliveryTests
{
    private static readonly string Payload = new('x', 64 * 1024);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fetch_LargeAnswerResetMidBody_ReleasesItsLeasesEveryTime()
    {
        await using var server = await RunningServer.StartAsync();
        await EnqueueAsync(server, 200);

        for (var round = 0; round < 5; round++)
        {
            await FetchAndResetAsync(server.Http.BaseAddress!, max: 200);

            await WaitUntilAsync(async () => (await server.Api.StatsAsync()).Counts["active"] == 0, $"round {round}: the leases to be released");
            Assert.Equal(200, (await server.Api.StatsAsync()).Counts["available"]);
        }

        var again = await server.Api.FetchAsync("fill", max: 3);
        Assert.All(again, job => Assert.Equal(1, job.Attempt));
    }

    [Fact]
    public async Task Fetch_LargeAnswerReadToTheEnd_KeepsItsLeases()
    {
        await using var server = await RunningServer.StartAsync();
        await EnqueueAsync(server, 100);

        var fetched = await server.Api.FetchAsync("fill", max: 100);

        Assert.Equal(100, fetched.Count);
        var stats = await server.Api.StatsAsync();
        Assert.Equal(100, stats.Counts["active"]);
        Assert.Equal(0, stats.Counts["available"]);
        foreach (var job in fetched)
        {
            await ApiClient.ExpectAsync(await server.Api.AckAsync(job.Id, job.Lease!.Token), HttpStatusCode.NoContent);
        }
    }

    private static async Task EnqueueAsync(RunningServer server, int count)
    {
        for (var sent = 0; sent < count; sent += 50)
        {
            var jobs = string.Join(',', Enumerable.Repeat($"{{\"type\":\"fill\",\"queue\":\"fill\",\"args\":[\"{Payload}\"]}}", 50));
            await ApiClient.ExpectAsync(await server.Api.PostRawAsync("v1/jobs/batch", $"{{\"jobs\":[{jobs}]}}"), HttpStatusCode.Created);
        }
    }

    /// <summary>
    /// Fetches with a receive window pinned at 8 KiB, reads the status line and resets: the answer (13 MB for 200 jobs) is
    /// then mostly in the server's kernel send queue and Kestrel's buffers.
    /// </summary>
    private static async Task FetchAndResetAsync(Uri server, int max)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 8 * 1024 };
        await socket.ConnectAsync(server.Host, server.Port, Ct);
        var body = $"{{\"queues\":[\"fill\"],\"max\":{max.ToString(CultureInfo.InvariantCulture)}}}";
        var request = $"POST /v1/fetch HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, Ct);
        var buffer = new byte[64];
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, Ct);
        Assert.StartsWith("HTTP/1.1 200", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
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
