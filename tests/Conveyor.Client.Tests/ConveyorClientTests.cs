using System.Net;
using Conveyor.Contracts;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;

namespace Conveyor.Client.Tests;

public sealed class ConveyorClientTests
{
    [Fact]
    public async Task EnqueueAsync_TypedArgs_UsesAttributeNameAndQueueAndCamelCaseArgs()
    {
        await using var server = await TestServer.StartAsync();

        var id = await server.Client.EnqueueAsync(new BlockJob("x"), new JobOptions { Priority = 7, Tags = ["t"] });

        var job = await server.Client.GetAsync(id);
        Assert.NotNull(job);
        Assert.Equal("test.block", job.Type);
        Assert.Equal("block", job.Queue);
        Assert.Equal(7, job.Priority);
        Assert.Equal("""{"name":"x"}""", job.Args.ToString());
    }

    [Fact]
    public async Task EnqueueWithResultAsync_UniqueKeyHeld_SaysDuplicateAndNamesTheHolder()
    {
        await using var server = await TestServer.StartAsync();
        var options = new JobOptions { UniqueKey = "once", UniqueFor = TimeSpan.FromMinutes(10) };

        var first = await server.Client.EnqueueWithResultAsync(new BlockJob("x"), options);
        var again = await server.Client.EnqueueWithResultAsync(new BlockJob("y"), options);
        var raw = await server.Client.EnqueueRawWithResultAsync(new EnqueueRequest { Type = "t", UniqueKey = "once" });

        Assert.Null(first.Duplicate);
        Assert.Equal((first.Id, true), (again.Id, again.Duplicate));
        Assert.Equal((first.Id, true), (raw.Id, raw.Duplicate));
        Assert.Equal(first.Id, await server.Client.EnqueueAsync(new BlockJob("z"), options));
    }

    [Fact]
    public async Task EnqueueAsync_MappedName_WinsOverAttribute()
    {
        await using var server = await TestServer.StartAsync();
        var options = new ConveyorClientOptions { ServerUrl = server.Url }.MapJobType<CountJob>("renamed");
        options.SerializerOptions.TypeInfoResolverChain.Insert(0, TestJsonContext.Default);
        var client = new ConveyorClient(server.Http, options);

        var id = await client.EnqueueAsync(new CountJob(1), new JobOptions { Queue = "q" });

        Assert.Equal("renamed", (await client.GetAsync(id))!.Type);
    }

    [Fact]
    public async Task EnqueueAsync_ArgsTypeUnknown_ThrowsNamingTheType()
    {
        await using var server = await TestServer.StartAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => server.Client.EnqueueAsync(new Probe()));

        Assert.Contains(nameof(Probe), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnqueueBatchAsync_Typed_ReturnsIdsInOrder()
    {
        await using var server = await TestServer.StartAsync();

        var ids = await server.Client.EnqueueBatchAsync([new CountJob(1), new CountJob(2), new CountJob(3)]);

        Assert.Equal(3, ids.Count);
        Assert.Equal("""{"n":2}""", (await server.Client.GetAsync(ids[1]))!.Args.ToString());
    }

    [Fact]
    public async Task ListCancelRetry_RoundTrip_FollowTheServer()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.Client.EnqueueRawAsync(new EnqueueRequest { Type = "raw", Queue = "ops", Args = RawJson.FromString("[1]") });

        var page = await server.Client.ListAsync(new JobQuery { Queue = "ops", State = "available", Limit = 10 });
        Assert.Equal([id], page.Jobs.Select(j => j.Id));

        await server.Client.CancelAsync(id);
        Assert.Equal("cancelled", (await server.Client.GetAsync(id))!.State);

        var error = await Assert.ThrowsAsync<ConveyorApiException>(() => server.Client.RetryAsync(id));
        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.Equal(ProblemTypes.Conflict, error.Problem?.Type);
    }

    [Fact]
    public async Task GetAsync_UnknownId_ReturnsNull()
    {
        await using var server = await TestServer.StartAsync();

        Assert.Null(await server.Client.GetAsync("nope"));
        var error = await Assert.ThrowsAsync<ConveyorApiException>(() => server.Client.CancelAsync("nope"));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task EnqueueAsync_InvalidValue_ThrowsWithTheField()
    {
        await using var server = await TestServer.StartAsync();

        var error = await Assert.ThrowsAsync<ConveyorApiException>(() => server.Client.EnqueueAsync(new CountJob(1), new JobOptions { Priority = 42 }));

        Assert.Equal(ProblemTypes.Validation, error.Problem?.Type);
        Assert.Equal("priority", error.Problem?.Field);
    }
}
