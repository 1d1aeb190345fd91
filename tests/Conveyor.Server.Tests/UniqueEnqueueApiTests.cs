using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;

namespace Conveyor.Server.Tests;

/// <summary>Unique jobs and timeouts over HTTP: the duplicate answers, the modes and the fields a job view shows.</summary>
public sealed class UniqueEnqueueApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Enqueue_UniqueKeyHeld_200WithExistingIdAndDuplicateTrue()
    {
        await using var server = await RunningServer.StartAsync();
        const string body = """{"type":"t","unique_key":"user-7","unique_for_seconds":600}""";
        using var first = await server.Api.PostRawAsync("v1/jobs", body);
        await ApiClient.ExpectAsync(first, HttpStatusCode.Created);
        var created = await first.Content.ReadAsStringAsync(Ct);

        using var again = await server.Api.PostRawAsync("v1/jobs", body);

        await ApiClient.ExpectAsync(again, HttpStatusCode.OK);
        var id = JsonDocument.Parse(created).RootElement.GetProperty("id").GetString();
        Assert.Equal($$"""{"id":"{{id}}"}""", created);
        Assert.Equal($$"""{"id":"{{id}}","duplicate":true}""", await again.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task EnqueueBatch_SomeDuplicates_MarksTheirPositions()
    {
        await using var server = await RunningServer.StartAsync();
        var holder = await server.Api.EnqueueJobAsync(new EnqueueRequest { Type = "t", UniqueKey = "k" });

        using var response = await server.Api.PostRawAsync(
            "v1/jobs/batch", """{"jobs":[{"type":"t"},{"type":"t","unique_key":"k"},{"type":"u"},{"type":"t","unique_key":"k"}]}""");

        await ApiClient.ExpectAsync(response, HttpStatusCode.Created);
        var batch = (await response.Content.ReadFromJsonAsync(ConveyorJsonContext.Default.EnqueueBatchResponse, Ct))!;
        Assert.Equal([1, 3], batch.Duplicates);
        Assert.Equal(holder, batch.Ids[1]);
        Assert.Equal(holder, batch.Ids[3]);
    }

    [Fact]
    public async Task EnqueueBatch_NoDuplicates_AnswersIdsOnly()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostRawAsync("v1/jobs/batch", """{"jobs":[{"type":"t"}]}""");

        await ApiClient.ExpectAsync(response, HttpStatusCode.Created);
        Assert.DoesNotContain("duplicates", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enqueue_UniqueByArgs_SameArgsWrittenDifferentlyDeduplicated()
    {
        await using var server = await RunningServer.StartAsync();
        var first = await server.Api.EnqueueJobAsync(new EnqueueRequest { Type = "t", Args = new RawJson("""[{"a":1,"b":2}]"""u8.ToArray()), UniqueByArgs = true });

        using var again = await server.Api.PostRawAsync("v1/jobs", """{"type":"t","args":[ {"b":2, "a":1} ],"unique_by_args":true}""");
        using var otherQueue = await server.Api.PostRawAsync("v1/jobs", """{"type":"t","queue":"q2","args":[{"a":1,"b":2}],"unique_by_args":true}""");

        await ApiClient.ExpectAsync(again, HttpStatusCode.OK);
        Assert.Equal(first, (await again.Content.ReadFromJsonAsync(ConveyorJsonContext.Default.EnqueueResponse, Ct))!.Id);
        await ApiClient.ExpectAsync(otherQueue, HttpStatusCode.Created);
        var view = await server.Api.GetAsync(first);
        Assert.StartsWith("args:", view.UniqueKey, StringComparison.Ordinal);
        Assert.Null(view.UniqueUntil); // the default, finished, is left out
    }

    [Fact]
    public async Task Enqueue_UntilStarted_FreeOnceFetched()
    {
        await using var server = await RunningServer.StartAsync();
        var request = new EnqueueRequest { Type = "t", Queue = "u", UniqueKey = "k", UniqueUntil = "started" };
        var first = await server.Api.EnqueueJobAsync(request);
        Assert.Equal(first, await server.Api.EnqueueJobAsync(request, HttpStatusCode.OK));

        Assert.Equal(first, (await server.Api.FetchOneAsync("u")).Id);

        Assert.NotEqual(first, await server.Api.EnqueueJobAsync(request));
        Assert.Equal("started", (await server.Api.GetAsync(first)).UniqueUntil);
    }

    [Fact]
    public async Task Enqueue_TimeoutSeconds_ShownAndCapsTheLease()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueJobAsync(new EnqueueRequest { Type = "t", Queue = "timed", TimeoutSeconds = 30 });

        var job = await server.Api.FetchOneAsync("timed");

        Assert.Equal(id, job.Id);
        Assert.Equal(30, job.TimeoutSeconds);
        Assert.NotNull(job.Lease);
        Assert.InRange(job.Lease.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.FromSeconds(35));
        Assert.Null((await server.Api.GetAsync(await server.Api.EnqueueAsync("t"))).TimeoutSeconds);
    }
}
