using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Cli.Tests.Memory;

/// <summary>
/// The real server under a GC heap hard limit: filled until it refuses with 503, it keeps serving reads, fetches and
/// settles with answers that parse; a fetch answer the client resets leaves no lease behind; and after SIGKILL it
/// restarts under the same limit with every acknowledged job.
/// </summary>
public sealed class MemoryBudgetProcessTests : IDisposable
{
    /// <summary>256 MiB of GC heap, as a small container would give.</summary>
    private static readonly Dictionary<string, string> Limit = new() { ["DOTNET_GCHeapHardLimit"] = "0x10000000" };

    /// <summary>A budget well under the default (40 % of 256 MiB), so filling it is quick.</summary>
    private static readonly string[] Options = ["--memory-budget", "40MB"];

    private static readonly string Payload = new('x', 64 * 1024);

    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(60) };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_UnderAHeapLimit_RefusesWhenFullKeepsServingAndRecoversAfterSigKill()
    {
        using var data = new TempDirectory("conveyor-memory");
        var server = await ConveyorProcess.StartReadyAsync(data.Path, Limit, Options);
        try
        {
            var acknowledged = await FillAsync(server.Address);
            Assert.InRange(acknowledged.Count, 300, 700);
            var stats = await GetJsonAsync(server.Address, "v1/stats");
            Assert.Equal(40L << 20, stats["memory"]!["budget_bytes"]!.GetValue<long>());
            Assert.InRange(stats["memory"]!["held_bytes"]!.GetValue<long>(), 30L << 20, 40L << 20);

            // Reads, fetch and settle go on, and every answer parses.
            Assert.Equal(10, (await GetJsonAsync(server.Address, "v1/jobs?limit=10"))["jobs"]!.AsArray().Count);
            Assert.NotEmpty((await GetJsonAsync(server.Address, "v1/queues"))["queues"]!.AsArray());
            var fetched = (await PostJsonAsync(server.Address, "v1/fetch", new JsonObject { ["queues"] = new JsonArray("fill"), ["max"] = 5 }))["jobs"]!.AsArray();
            Assert.Equal(5, fetched.Count);
            foreach (var job in fetched)
            {
                var ack = await http.PostAsJsonAsync(
                    new Uri(server.Address, $"v1/jobs/{job!["id"]}/ack"), new JsonObject { ["token"] = job["lease"]!["token"]!.DeepClone() }, Ct);
                Assert.Equal(HttpStatusCode.NoContent, ack.StatusCode);
            }

            server.Kill();
            server.Dispose();
            server = await ConveyorProcess.StartReadyAsync(data.Path, Limit, Options);

            var counts = await CountsAsync(server.Address);
            Assert.Equal(5, counts["completed"]);
            Assert.Equal(acknowledged.Count - 5, counts["available"]);
            Assert.Equal(acknowledged.Count, counts.Values.Sum());
            foreach (var id in acknowledged.Take(20))
            {
                Assert.Equal(id, (await GetJsonAsync(server.Address, $"v1/jobs/{id}"))["id"]!.GetValue<string>());
            }

            // Nothing was freed (completed jobs are kept for retention): the batch that was refused still is.
            using var refused = await EnqueueBatchAsync(server.Address, 50);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }
        finally
        {
            server.Dispose();
        }
    }

    [Fact]
    public async Task Serve_NoBudgetGiven_TakesFortyPercentOfTheHeapLimit()
    {
        using var data = new TempDirectory("conveyor-memory-default");
        using var server = await ConveyorProcess.StartReadyAsync(data.Path, Limit);

        var stats = await GetJsonAsync(server.Address, "v1/stats");

        Assert.Equal((long)((256L << 20) * 0.4), stats["memory"]!["budget_bytes"]!.GetValue<long>());
    }

    [Fact]
    public async Task Serve_UnderAHeapLimit_AFetchAnswerResetMidBodyReleasesItsLeases()
    {
        using var data = new TempDirectory("conveyor-memory-reset");
        using var server = await ConveyorProcess.StartReadyAsync(data.Path, Limit, Options);
        for (var batch = 0; batch < 4; batch++)
        {
            using var response = await EnqueueBatchAsync(server.Address, 50);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        // 200 jobs of 64 KiB: a 13 MB answer, over three times what the kernel buffers for one loopback connection
        // (the server's send buffer tops out at 4 MiB here, the client's receive window is pinned small), so the
        // server is still writing it when the reset arrives.
        await FetchAndResetAsync(server.Address, max: 200);

        await WaitUntilAsync(
            async () => (await CountsAsync(server.Address))["active"] == 0,
            () => $"the reset fetch's leases to be released; counts {string.Join(", ", CountsAsync(server.Address).Result)}\n{server.Output}");
        var counts = await CountsAsync(server.Address);
        Assert.Equal(200, counts["available"]);
        var stats = await GetJsonAsync(server.Address, "v1/stats");
        Assert.Equal(0, stats["failed"]!.GetValue<long>());
        await WaitUntilAsync(() => Task.FromResult(server.Output.Contains("Released 200 leases", StringComparison.Ordinal)), () => server.Output);

        // The attempt was not counted: the next fetch gets the same jobs as a first attempt.
        var again = (await PostJsonAsync(server.Address, "v1/fetch", new JsonObject { ["queues"] = new JsonArray("fill"), ["max"] = 3 }))["jobs"]!.AsArray();
        Assert.Equal(3, again.Count);
        Assert.All(again, job => Assert.Equal(1, job!["attempt"]!.GetValue<int>()));
    }

    public void Dispose() => http.Dispose();

    /// <summary>
    /// Fetches over a raw socket with a small receive buffer, reads the status line, and resets the connection while the
    /// server still holds most of the answer.
    /// </summary>
    private static async Task FetchAndResetAsync(Uri server, int max)
    {
        // Set before connecting: it fixes the advertised window (no autotuning), so the answer stays in the server.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 8 * 1024 };
        await socket.ConnectAsync(server.Host, server.Port, Ct);
        var body = $"{{\"queues\":[\"fill\"],\"max\":{max.ToString(CultureInfo.InvariantCulture)}}}";
        var request = $"POST /v1/fetch HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
        await socket.SendAsync(Encoding.UTF8.GetBytes(request), SocketFlags.None, Ct);
        var buffer = new byte[64];
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, Ct);
        Assert.StartsWith("HTTP/1.1 200", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    /// <summary>Enqueues batches of 64 KiB jobs until the server answers 503; returns the ids it acknowledged.</summary>
    private async Task<List<string>> FillAsync(Uri server)
    {
        List<string> ids = [];
        for (var batch = 0; batch < 100; batch++)
        {
            using var response = await EnqueueBatchAsync(server, 50);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.Equal("https://conveyor.dev/problems/storage-full", body["type"]!.GetValue<string>());
                Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
                return ids;
            }

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            ids.AddRange(body["ids"]!.AsArray().Select(id => id!.GetValue<string>()));
        }

        throw new InvalidOperationException($"the server took {ids.Count} jobs without refusing one");
    }

    private Task<HttpResponseMessage> EnqueueBatchAsync(Uri server, int count)
    {
        var jobs = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            jobs.Add(new JsonObject { ["type"] = "fill", ["queue"] = "fill", ["args"] = new JsonArray(Payload) });
        }

        return http.PostAsJsonAsync(new Uri(server, "v1/jobs/batch"), new JsonObject { ["jobs"] = jobs }, Ct);
    }

    private async Task<Dictionary<string, long>> CountsAsync(Uri server) =>
        (await GetJsonAsync(server, "v1/stats"))["counts"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<long>());

    private async Task<JsonNode> GetJsonAsync(Uri server, string path)
    {
        using var response = await http.GetAsync(new Uri(server, path), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private async Task<JsonNode> PostJsonAsync(Uri server, string path, JsonObject body)
    {
        using var response = await http.PostAsJsonAsync(new Uri(server, path), body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> what)
    {
        for (var waited = 0; waited < 600; waited++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50, Ct);
        }

        Assert.Fail($"timed out waiting for {what()}");
    }
}
