using System.Text.Json;
using Conveyor.Broker.Workers;
using Microsoft.Extensions.DependencyInjection;

namespace Conveyor.Client.Tests;

/// <summary><c>GET /v1/workers</c>: the server writes the contracts' <c>WorkerView</c> and the SDK reads the same type.</summary>
public sealed class WorkerListTests
{
    [Fact]
    public async Task ListWorkersAsync_WorkerHeardFrom_ReadsWhatTheServerWrote()
    {
        await using var server = await TestServer.StartAsync();
        var registry = server.Services.GetRequiredService<WorkerRegistry>();
        var registered = registry.Register("w-1", "host-a", 4242, ["blue", "green"]);
        registry.Register("w-2", null, null, []);

        var workers = await server.Client.ListWorkersAsync(TestContext.Current.CancellationToken);

        var first = Assert.Single(workers, w => w.Wid == "w-1");
        Assert.Equal("host-a", first.Hostname);
        Assert.Equal(4242, first.Pid);
        Assert.Equal(["blue", "green"], first.Labels);
        Assert.Equal(registered.StartedAt, first.StartedAt);
        Assert.Equal("running", first.State);
        var second = Assert.Single(workers, w => w.Wid == "w-2");
        Assert.Null(second.Hostname);
        Assert.Null(second.Pid);
        Assert.Empty(second.Labels);
    }

    [Fact]
    public async Task WorkersEndpoint_Json_KeepsItsWireNamesAndNulls()
    {
        await using var server = await TestServer.StartAsync();
        server.Services.GetRequiredService<WorkerRegistry>().Register("w-1", null, null, []);

        using var body = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("v1/workers", UriKind.Relative), TestContext.Current.CancellationToken));

        var worker = Assert.Single(body.RootElement.EnumerateArray());
        Assert.Equal(
            ["wid", "hostname", "pid", "labels", "started_at", "last_beat_at", "state"],
            worker.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, worker.GetProperty("hostname").ValueKind);
        Assert.Equal(JsonValueKind.Null, worker.GetProperty("pid").ValueKind);
    }
}
