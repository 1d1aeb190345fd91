using System.Net.Http.Json;
using System.Text.Json;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;

namespace Conveyor.Server.Tests;

/// <summary><c>GET /v1/stats</c>'s <c>storage</c> and <c>runtime</c> blocks: the store's writes and the server's GC, since it started.</summary>
public sealed class StatsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stats_AfterWrites_CountTheStoresFlushesAndBytesAndTheRuntimesAllocation()
    {
        await using var server = await RunningServer.StartAsync();
        var before = await server.Api.StatsAsync();

        using var response = await server.Http.PostAsJsonAsync(
            "v1/jobs/batch", new EnqueueBatchRequest { Jobs = [new() { Type = "t" }, new() { Type = "t" }] }, ConveyorJsonContext.Default.EnqueueBatchRequest, Ct);
        response.EnsureSuccessStatusCode();
        var after = await server.Api.StatsAsync();

        Assert.NotNull(before.Storage);
        Assert.NotNull(after.Storage);
        Assert.True(after.Storage.Flushes > before.Storage.Flushes);
        Assert.True(after.Storage.BytesWritten > before.Storage.BytesWritten);
        Assert.Equal(0, after.Storage.Fsyncs); // this server runs with durability none
        Assert.Equal(0, after.Storage.SnapshotFailures);
        Assert.NotNull(after.Runtime);
        Assert.True(after.Runtime.AllocatedBytes > before.Runtime!.AllocatedBytes);
        Assert.True(after.Runtime.HeapBytes > 0);
        Assert.True(after.Runtime.GcPauseMs >= before.Runtime.GcPauseMs); // a total: it never goes back
        Assert.True(after.Runtime.JitCompiledMethods > 0); // the server compiled at least the code that answered
        Assert.True(after.Runtime.JitTimeMs > 0);
        Assert.True(after.Runtime.JitCompiledMethods >= before.Runtime.JitCompiledMethods);
    }

    [Fact]
    public async Task Stats_WireNames_AreSnakeCase()
    {
        await using var server = await RunningServer.StartAsync();

        using var json = JsonDocument.Parse(await server.Http.GetStringAsync("v1/stats", Ct));

        var storage = json.RootElement.GetProperty("storage");
        foreach (var name in new[] { "flushes", "fsyncs", "bytes_written", "snapshots", "snapshot_failures" })
        {
            Assert.Equal(JsonValueKind.Number, storage.GetProperty(name).ValueKind);
        }

        var runtime = json.RootElement.GetProperty("runtime");
        foreach (var name in new[] { "gc_pause_ms", "gen0_collections", "gen1_collections", "gen2_collections", "heap_bytes", "allocated_bytes", "jit_compiled_methods", "jit_time_ms" })
        {
            Assert.Equal(JsonValueKind.Number, runtime.GetProperty(name).ValueKind);
        }
    }
}
