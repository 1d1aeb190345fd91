using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Cli.Tests.Crash;

/// <summary>
/// A per-second schedule from a cron file on the real binary, SIGKILLed and restarted: every tick fires at most once.
/// A worker loop completes the jobs as they come, so a tick's unique key is released at once and only the schedule's
/// recorded last tick stands between a restart and a second job for the same tick.
/// </summary>
public sealed class CronCrashTests
{
    private const string CronFile = """{"schedules":[{"name":"every-second","expression":"*/1 * * * * *","job":{"type":"tick","queue":"ticks"}}]}""";

    private readonly HttpClient http = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SigKill_AndRestart_NoTickFiresTwice()
    {
        using var data = new TempDirectory("conveyor-cron-crash");
        var cronFile = Path.Combine(data.Path, "cron.json");
        await File.WriteAllTextAsync(cronFile, CronFile, Ct);
        var dataDirectory = Path.Combine(data.Path, "data");
        string[] options = ["--cron-file", cronFile];
        var server = await ConveyorProcess.StartReadyAsync(dataDirectory, options);
        try
        {
            for (var kill = 0; kill < 3; kill++)
            {
                await CompleteTicksAsync(server.Address, atLeast: (kill + 1) * 3);
                server.Kill();
                server.Dispose();
                server = await ConveyorProcess.StartReadyAsync(dataDirectory, options);
            }

            var keys = await CompleteTicksAsync(server.Address, atLeast: 12);
            Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
            Assert.All(keys, k => Assert.StartsWith("cron:every-second:", k, StringComparison.Ordinal));
        }
        finally
        {
            server.Dispose();
        }
    }

    /// <summary>Fetches and acks tick jobs until at least <paramref name="atLeast"/> are completed; returns every job's unique key.</summary>
    private async Task<List<string>> CompleteTicksAsync(Uri server, int atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var fetch = await http.PostAsJsonAsync(new Uri(server, "v1/fetch"), new JsonObject { ["queues"] = new JsonArray("ticks"), ["max"] = 100, ["wait_ms"] = 500 }, Ct);
            Assert.Equal(HttpStatusCode.OK, fetch.StatusCode);
            foreach (var job in (await fetch.Content.ReadFromJsonAsync<JsonObject>(Ct))!["jobs"]!.AsArray())
            {
                var ack = await http.PostAsJsonAsync(
                    new Uri(server, $"v1/jobs/{job!["id"]!.GetValue<string>()}/ack"), new JsonObject { ["token"] = job["lease"]!["token"]!.GetValue<string>() }, Ct);
                Assert.Equal(HttpStatusCode.NoContent, ack.StatusCode);
            }

            var list = await http.GetFromJsonAsync<JsonObject>(new Uri(server, "v1/jobs?queue=ticks&limit=1000"), Ct);
            var jobs = list!["jobs"]!.AsArray();
            var completed = jobs.Count(j => j!["state"]!.GetValue<string>() == "completed");
            if (completed >= atLeast)
            {
                return [.. jobs.Select(j => j!["unique_key"]!.GetValue<string>())];
            }

            Assert.True(DateTime.UtcNow < deadline, $"only {completed} of {atLeast} ticks completed in 60 s");
        }
    }
}
