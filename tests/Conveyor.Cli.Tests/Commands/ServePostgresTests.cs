using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Cli.Tests.Commands;

/// <summary><c>conveyor serve --store postgres</c>: the real binary on a throw-away PostgreSQL cluster.</summary>
public sealed class ServePostgresTests : IDisposable
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Serve_StorePostgres_EnqueueFetchAckOverHttp()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var connection = await cluster.CreateDatabaseAsync();
        using var data = new TempDirectory("conveyor-pg");
        using var server = await ConveyorProcess.StartReadyAsync(data.Path, "--store", "postgres", "--postgres", connection);
        Assert.Contains("(store postgres)", server.Output, StringComparison.Ordinal);

        var id = (await PostAsync(server.Address, "v1/jobs", new JsonObject { ["type"] = "t", ["queue"] = "pg", ["args"] = new JsonArray(1) }))["id"]!.GetValue<string>();
        var job = await FetchOneAsync(server.Address, "pg", waitMs: 5000);
        Assert.Equal(id, job["id"]!.GetValue<string>());
        await PostAsync(server.Address, $"v1/jobs/{id}/ack", new JsonObject { ["token"] = job["lease"]!["token"]!.GetValue<string>() });

        var read = await http.GetFromJsonAsync<JsonObject>(new Uri(server.Address, $"v1/jobs/{id}"), TestContext.Current.CancellationToken);
        Assert.Equal("completed", read!["state"]!.GetValue<string>());
        var stats = await http.GetFromJsonAsync<JsonObject>(new Uri(server.Address, "v1/stats"), TestContext.Current.CancellationToken);
        Assert.Equal(1, stats!["processed"]!.GetValue<long>());
    }

    [Fact]
    public async Task Serve_TwoSchemasOnOneDatabase_EachInstallationSeesOnlyItsJobs()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var connection = await cluster.CreateDatabaseAsync();
        using var dataA = new TempDirectory("conveyor-pg-a");
        using var dataB = new TempDirectory("conveyor-pg-b");
        using var a = await ConveyorProcess.StartReadyAsync(dataA.Path, "--store", "postgres", "--postgres", connection, "--postgres-schema", "team_a");
        using var b = await ConveyorProcess.StartReadyAsync(
            dataB.Path, new Dictionary<string, string> { ["CONVEYOR_STORE"] = "postgres", ["CONVEYOR_POSTGRES"] = connection, ["CONVEYOR_POSTGRES_SCHEMA"] = "team_b" });

        var id = (await PostAsync(a.Address, "v1/jobs", new JsonObject { ["type"] = "t", ["queue"] = "same" }))["id"]!.GetValue<string>();

        using var unknown = await http.GetAsync(new Uri(b.Address, $"v1/jobs/{id}"), TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        var statsB = await http.GetFromJsonAsync<JsonObject>(new Uri(b.Address, "v1/stats"), TestContext.Current.CancellationToken);
        Assert.Equal(0, statsB!["counts"]!["available"]!.GetValue<long>());
        var read = await http.GetFromJsonAsync<JsonObject>(new Uri(a.Address, $"v1/jobs/{id}"), TestContext.Current.CancellationToken);
        Assert.Equal("available", read!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Serve_TwoNodesOnOneDatabase_AFetchWaitingOnOneGetsAJobEnqueuedOnTheOther()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var connection = await cluster.CreateDatabaseAsync();
        using var dataA = new TempDirectory("conveyor-pg-a");
        using var dataB = new TempDirectory("conveyor-pg-b");
        var environment = new Dictionary<string, string> { ["CONVEYOR_STORE"] = "postgres", ["CONVEYOR_POSTGRES"] = connection };
        using var a = await ConveyorProcess.StartReadyAsync(dataA.Path, environment);
        using var b = await ConveyorProcess.StartReadyAsync(dataB.Path, environment);

        var fetch = FetchOneAsync(a.Address, "shared", waitMs: 20_000);
        await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        var id = (await PostAsync(b.Address, "v1/jobs", new JsonObject { ["type"] = "t", ["queue"] = "shared" }))["id"]!.GetValue<string>();

        var job = await fetch.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        Assert.Equal(id, job["id"]!.GetValue<string>());
        await PostAsync(b.Address, $"v1/jobs/{id}/ack", new JsonObject { ["token"] = job["lease"]!["token"]!.GetValue<string>() });
        var read = await http.GetFromJsonAsync<JsonObject>(new Uri(a.Address, $"v1/jobs/{id}"), TestContext.Current.CancellationToken);
        Assert.Equal("completed", read!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Readyz_DatabaseStoppedAndStartedAgain_NotReadyThenReady()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        using var data = new TempDirectory("conveyor-pg-ready");
        using var server = await ConveyorProcess.StartReadyAsync(data.Path, "--store", "postgres", "--postgres", cluster.ConnectionString);

        await cluster.StopServerAsync();
        await WaitForReadyzAsync(server.Address, HttpStatusCode.ServiceUnavailable);
        await cluster.StartServerAsync();
        await WaitForReadyzAsync(server.Address, HttpStatusCode.OK);

        // Writes work again once it is back.
        await PostAsync(server.Address, "v1/jobs", new JsonObject { ["type"] = "t" });
    }

    public void Dispose() => http.Dispose();

    private async Task WaitForReadyzAsync(Uri server, HttpStatusCode expected)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await http.GetAsync(new Uri(server, "readyz"), TestContext.Current.CancellationToken);
            if (response.StatusCode == expected)
            {
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"/readyz stayed {(int)response.StatusCode}, not {(int)expected}, for 60 s");
            await Task.Delay(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        }
    }

    private async Task<JsonObject> FetchOneAsync(Uri server, string queue, int waitMs)
    {
        var fetched = await PostAsync(server, "v1/fetch", new JsonObject { ["queues"] = new JsonArray(queue), ["max"] = 1, ["wait_ms"] = waitMs, ["worker_id"] = "w1" });
        return (JsonObject)fetched["jobs"]!.AsArray().Single()!;
    }

    private async Task<JsonObject> PostAsync(Uri server, string path, JsonObject body)
    {
        using var response = await http.PostAsJsonAsync(new Uri(server, path), body, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }
}
