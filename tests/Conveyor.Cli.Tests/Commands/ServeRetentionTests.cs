using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Cli.Tests.Commands;

/// <summary><c>conveyor serve --keep-completed</c> reaches the store: maintenance prunes completed jobs down to the cap.</summary>
public sealed class ServeRetentionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KeepCompleted_MoreJobsCompleted_PrunedDownToTheCap()
    {
        using var data = new TempDirectory("conveyor-retention");
        using var server = await ConveyorProcess.StartReadyAsync(data.Path, "--keep-completed", "2");
        using var http = new HttpClient { BaseAddress = server.Address };
        for (var i = 0; i < 5; i++)
        {
            (await http.PostAsJsonAsync("v1/jobs", new JsonObject { ["type"] = "t", ["queue"] = "kept" }, Ct)).EnsureSuccessStatusCode();
        }

        var fetch = await http.PostAsJsonAsync("v1/fetch", new JsonObject { ["queues"] = new JsonArray("kept"), ["max"] = 5 }, Ct);
        var jobs = (await fetch.Content.ReadFromJsonAsync<JsonObject>(Ct))!["jobs"]!.AsArray();
        var acks = new JsonArray([.. jobs.Select(j => (JsonNode)new JsonObject { ["id"] = j!["id"]!.GetValue<string>(), ["token"] = j["lease"]!["token"]!.GetValue<string>() })]);
        (await http.PostAsJsonAsync("v1/settle", new JsonObject { ["ack"] = acks }, Ct)).EnsureSuccessStatusCode();

        // Maintenance prunes every 5 s: wait for it (bounded), then the cap holds.
        var waited = Stopwatch.StartNew();
        long completed;
        do
        {
            await Task.Delay(200, Ct);
            var stats = (await http.GetFromJsonAsync<JsonObject>("v1/stats", Ct))!;
            completed = stats["counts"]!["completed"]!.GetValue<long>();
        }
        while (completed > 2 && waited.Elapsed < TimeSpan.FromSeconds(30));

        Assert.Equal(5, jobs.Count);
        Assert.Equal(2, completed);
    }
}
