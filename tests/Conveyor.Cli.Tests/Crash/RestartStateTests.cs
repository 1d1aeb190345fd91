using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Cli.Tests.Crash;

/// <summary>What an operator sees (queues, jobs in every state, paused flags, totals) survives SIGTERM and SIGKILL.</summary>
public sealed class RestartStateTests
{
    private readonly HttpClient http = new();

    [Theory]
    [InlineData("true")] // the default: WAL segments written around the page cache (O_DIRECT)
    [InlineData("false")] // every segment buffered
    public async Task Restart_AfterSigTermAndAfterSigKill_ShowsTheSameState(string directWal)
    {
        using var data = new TempDirectory("conveyor-restart");
        string[] options = ["--wal-direct-io", directWal];
        var server = await ConveyorProcess.StartReadyAsync(data.Path, options);
        try
        {
            var leaseToken = await BuildEveryStateAsync(server.Address);
            var before = await DumpAsync(server.Address);

            Assert.Equal(0, await server.TerminateAsync());
            Assert.Contains("Snapshot", server.Output, StringComparison.Ordinal);
            server.Dispose();
            server = await ConveyorProcess.StartReadyAsync(data.Path, options);
            Assert.Equal(before, await DumpAsync(server.Address));

            server.Kill();
            server.Dispose();
            server = await ConveyorProcess.StartReadyAsync(data.Path, options);
            Assert.Equal(before, await DumpAsync(server.Address));

            // The lease taken before both restarts still settles its job.
            var ack = await http.PostAsJsonAsync(new Uri(server.Address, "v1/jobs/active/ack"), new JsonObject { ["token"] = leaseToken });
            Assert.Equal(HttpStatusCode.NoContent, ack.StatusCode);
        }
        finally
        {
            server.Dispose();
        }
    }

    /// <summary>One job in each state, across two queues, one of them paused; returns the active job's token.</summary>
    private async Task<string> BuildEveryStateAsync(Uri server)
    {
        async Task<JsonObject> Post(string path, JsonObject body)
        {
            var response = await http.PostAsJsonAsync(new Uri(server, path), body);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return response.StatusCode == HttpStatusCode.NoContent ? [] : (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        }

        async Task<string> FetchToken(string id)
        {
            var fetched = await Post("v1/fetch", new JsonObject { ["queues"] = new JsonArray("work"), ["max"] = 1 });
            var job = fetched["jobs"]!.AsArray().Single()!;
            Assert.Equal(id, job["id"]!.GetValue<string>());
            return job["lease"]!["token"]!.GetValue<string>();
        }

        JsonObject Job(string id, int maxAttempts = 5, string queue = "work") =>
            new() { ["id"] = id, ["type"] = "t", ["queue"] = queue, ["args"] = new JsonArray(id), ["max_attempts"] = maxAttempts, ["lease_seconds"] = 3600 };

        await Post("v1/jobs", Job("completed"));
        await Post($"v1/jobs/completed/ack", new JsonObject { ["token"] = await FetchToken("completed") });
        await Post("v1/jobs", Job("dead", maxAttempts: 1));
        await Post("v1/jobs/dead/fail", new JsonObject { ["token"] = await FetchToken("dead"), ["error_type"] = "Boom", ["message"] = "no" });
        await Post("v1/jobs", Job("retrying"));
        await Post("v1/jobs/retrying/fail", new JsonObject { ["token"] = await FetchToken("retrying"), ["error_type"] = "Boom", ["message"] = "later", ["retry_in_ms"] = 3_600_000 });
        await Post("v1/jobs", Job("active"));
        var token = await FetchToken("active");
        await Post("v1/jobs", Job("cancelled"));
        await Post("v1/jobs/cancelled/cancel", []);
        var scheduled = Job("scheduled");
        scheduled["delay_ms"] = 3_600_000;
        await Post("v1/jobs", scheduled);
        await Post("v1/jobs", Job("available"));
        await Post("v1/jobs", Job("paused-available", queue: "paused"));
        await Post("v1/queues/paused/pause", []);
        return token;
    }

    private async Task<string> DumpAsync(Uri server)
    {
        var queues = await http.GetStringAsync(new Uri(server, "v1/queues"));
        var jobs = await http.GetStringAsync(new Uri(server, "v1/jobs?limit=1000"));
        var stats = (await http.GetFromJsonAsync<JsonObject>(new Uri(server, "v1/stats")))!;
        // Not state: the last minute's rate, and the counts of what this process wrote and collected since it started.
        stats.Remove("throughput");
        stats.Remove("storage");
        stats.Remove("runtime");
        return $"{queues}\n{jobs}\n{stats.ToJsonString()}";
    }
}
