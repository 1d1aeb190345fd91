using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Cli.Tests.Crash;

/// <summary>
/// A fetch is answered before its lease is fsynced (docs/operations.md, "Durability"): SIGKILL right after fetches over HTTP
/// and Faktory were answered, before any ack, and after the restart those jobs are available again with the attempt not
/// counted, the old leases are refused, and every acknowledged enqueue is still completed exactly once.
/// </summary>
public sealed class LazyLeaseCrashTests
{
    [Fact]
    public async Task SigKill_AfterFetchesAnsweredBeforeAnyAck_JobsAvailableAgainOldLeasesRefusedEachCompletedOnce()
    {
        using var data = new TempDirectory("conveyor-lazy-lease");
        using var load = new CrashLoad("lazy");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var started = Stopwatch.StartNew();
        var server = await StartAsync(data.Path);
        try
        {
            load.Follow(server.Process.Address);
            var ids = Enumerable.Range(0, 20).Select(i => $"lazy-{i:D2}").ToList();
            await load.EnqueueAsync(ids);

            // The run's first lease waits for its token skip to be durable; every later fetch is answered before its fsync.
            var durable = Assert.Single(await load.FetchAsync(1));
            List<string> overFaktory = [];
            await using (var w1 = await FaktoryLine.OpenAsync(server.FaktoryPort, "w1"))
            {
                for (var i = 0; i < 3; i++)
                {
                    overFaktory.Add(JsonNode.Parse((await w1.SendAsync("FETCH lazy"))!)!["jid"]!.GetValue<string>());
                }
            }

            var overHttp = await load.FetchAsync(10);
            Assert.Equal(10, overHttp.Count);
            server.Process.Kill();
            server.Process.Dispose();

            server = await StartAsync(data.Path);
            load.Follow(server.Process.Address);
            var api = server.Process.Address;
            foreach (var id in overFaktory.Concat(overHttp.Select(j => j.Id)))
            {
                var job = (await http.GetFromJsonAsync<JsonObject>(new Uri(api, $"v1/jobs/{id}"), TestContext.Current.CancellationToken))!;
                Assert.Equal("available", job["state"]!.GetValue<string>());
                Assert.Equal(0, job["attempt"]!.GetValue<int>());
            }

            foreach (var (id, token) in overHttp)
            {
                using var ack = await http.PostAsJsonAsync(new Uri(api, $"v1/jobs/{id}/ack"), new JsonObject { ["token"] = token }, TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.Conflict, ack.StatusCode);
            }

            // The three Faktory jobs are the oldest available (FIFO): another worker takes them, and the first worker's ACK
            // of its lost lease is refused.
            await using (var w1 = await FaktoryLine.OpenAsync(server.FaktoryPort, "w1"))
            await using (var w2 = await FaktoryLine.OpenAsync(server.FaktoryPort, "w2"))
            {
                foreach (var jid in overFaktory)
                {
                    Assert.Equal(jid, JsonNode.Parse((await w2.SendAsync("FETCH lazy"))!)!["jid"]!.GetValue<string>());
                    Assert.StartsWith("-ERR", await w1.SendAsync($"ACK {{\"jid\":\"{jid}\"}}"), StringComparison.Ordinal);
                    Assert.Equal("+OK", await w2.SendAsync($"ACK {{\"jid\":\"{jid}\"}}"));
                    load.RecordCompletion(jid);
                }
            }

            // The durable lease survived, its attempt counted (the job is redelivered when the lease expires); the workers
            // drain the rest.
            var held = (await http.GetFromJsonAsync<JsonObject>(new Uri(api, $"v1/jobs/{durable.Id}"), TestContext.Current.CancellationToken))!;
            Assert.Equal(1, held["attempt"]!.GetValue<int>());
            using var stopWorkers = new CancellationTokenSource();
            Task[] workers = [load.WorkAsync(stopWorkers.Token), load.WorkAsync(stopWorkers.Token)];
            var unfinished = await load.DrainAsync();
            await load.VerifyAsync(stopWorkers, workers, unfinished, "lazy lease crash test", started, server.Process.Output);
            Assert.Equal(ids.Order(), (await load.CompletedIdsAsync()).Order());
        }
        finally
        {
            server.Process.Dispose();
        }
    }

    private static async Task<(ConveyorProcess Process, int FaktoryPort)> StartAsync(string data)
    {
        var port = FreePort();
        var process = await ConveyorProcess.StartReadyAsync(data, "--faktory-port", port.ToString(CultureInfo.InvariantCulture));
        return (process, port);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A Faktory connection that sends one line and reads one reply (a bulk's body; null for the null bulk).</summary>
    private sealed class FaktoryLine : IAsyncDisposable
    {
        private readonly TcpClient tcp = new();
        private StreamReader reader = null!;
        private Stream stream = null!;

        public static async Task<FaktoryLine> OpenAsync(int port, string wid)
        {
            var line = new FaktoryLine();
            await line.tcp.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
            line.stream = line.tcp.GetStream();
            line.reader = new StreamReader(line.stream, new UTF8Encoding(false));
            Assert.StartsWith("+HI", await line.reader.ReadLineAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
            Assert.Equal("+OK", await line.SendAsync($"HELLO {{\"v\":2,\"hostname\":\"test\",\"wid\":\"{wid}\",\"pid\":1,\"labels\":[]}}"));
            return line;
        }

        public async Task<string?> SendAsync(string command)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\r\n"), TestContext.Current.CancellationToken);
            var reply = await reader.ReadLineAsync(TestContext.Current.CancellationToken);
            if (reply is null || !reply.StartsWith('$'))
            {
                return reply;
            }

            return reply == "$-1" ? null : await reader.ReadLineAsync(TestContext.Current.CancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            reader.Dispose();
            await stream.DisposeAsync();
            tcp.Dispose();
        }
    }
}
