using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Cli.Tests.Memory;

/// <summary>
/// The real server under a GC heap hard limit: filled until it refuses with 503, it keeps serving reads, fetches and
/// settles with answers that parse; and after SIGKILL it restarts under the same limit with every acknowledged job.
/// (The release of an undelivered fetch answer is tested in-process, FetchResultReleaseTests: over a real socket a
/// reset that arrives after the server handed the whole answer to the kernel cannot be seen, and was not reliably
/// early enough here to test.)
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

    public void Dispose() => http.Dispose();

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
