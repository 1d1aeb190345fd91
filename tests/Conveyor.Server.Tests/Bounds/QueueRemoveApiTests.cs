using System.Net;
using Conveyor.Contracts;
using Conveyor.Server.Tests.Faktory;
using Conveyor.Testing;

namespace Conveyor.Server.Tests.Bounds;

/// <summary>Queue removal: <c>DELETE /v1/queues/{q}?remove=true</c> and Faktory <c>QUEUE REMOVE</c>.</summary>
public sealed class QueueRemoveApiTests
{
    [Fact]
    public async Task Remove_EmptyQueue_204AndGone()
    {
        await using var server = await RunningServer.StartAsync();
        await server.Api.EnqueueAsync("t", "kept");
        await EmptyQueueAsync(server, "emptied");

        using var response = await server.Api.DeleteAsync("v1/queues/emptied?remove=true");

        await ApiClient.ExpectAsync(response, HttpStatusCode.NoContent);
        Assert.Equal(["kept"], (await server.Api.QueuesAsync()).Select(q => q.Name));
    }

    [Fact]
    public async Task Remove_QueueWithJobs_409AndKept()
    {
        await using var server = await RunningServer.StartAsync();
        await server.Api.EnqueueAsync("t", "busy");

        using var response = await server.Api.DeleteAsync("v1/queues/busy?remove=true");

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Contains("still has available, scheduled, retrying or active jobs", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(1, Assert.Single(await server.Api.QueuesAsync()).Available);
    }

    [Fact]
    public async Task Remove_PausedQueue_409AndKept()
    {
        await using var server = await RunningServer.StartAsync();
        using var pause = await server.Api.PostAsync("v1/queues/held/pause");

        using var response = await server.Api.DeleteAsync("v1/queues/held?remove=true");

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Contains("is paused", problem.Detail, StringComparison.Ordinal);
        Assert.True(Assert.Single(await server.Api.QueuesAsync()).Paused);
    }

    [Fact]
    public async Task Remove_UnknownQueue_404()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.DeleteAsync("v1/queues/nothing?remove=true");

        await ApiClient.ProblemAsync(response, HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task Delete_WithoutRemove_StillPurgesAndKeepsTheQueue()
    {
        await using var server = await RunningServer.StartAsync();
        await server.Api.EnqueueAsync("t", "q");

        using var response = await server.Api.DeleteAsync("v1/queues/q");

        await ApiClient.ExpectAsync(response, HttpStatusCode.NoContent);
        Assert.Equal(0, Assert.Single(await server.Api.QueuesAsync()).Available);
    }

    [Fact]
    public async Task Remove_ThenRestart_StillGone()
    {
        using var data = new TempDirectory("conveyor-remove-restart");
        await using (var first = await RunningServer.StartAsync(o => o.DataDirectory = data.Path))
        {
            await first.Api.EnqueueAsync("t", "kept");
            await EmptyQueueAsync(first, "emptied");
            using var response = await first.Api.DeleteAsync("v1/queues/emptied?remove=true");
            await ApiClient.ExpectAsync(response, HttpStatusCode.NoContent);
            await first.StopAsync();
        }

        await using var second = await RunningServer.StartAsync(o => o.DataDirectory = data.Path);

        Assert.Equal(["kept"], (await second.Api.QueuesAsync()).Select(q => q.Name));
    }

    [Fact]
    public async Task FaktoryQueueRemove_EmptyGoneBusyAndPausedRefused()
    {
        var port = FaktoryServer.FreePort();
        await using var server = await RunningServer.StartAsync(o => o.FaktoryPort = port);
        await using var client = await RawFaktoryClient.OpenAsync(port);
        Assert.Equal("+OK", await client.SendAsync("""PUSH {"jid":"j1","jobtype":"t","args":[],"queue":"busy"}"""));
        Assert.Equal("+OK", await client.SendAsync("QUEUE PAUSE held"));
        await EmptyQueueAsync(server, "emptied");

        Assert.Equal("+OK", await client.SendAsync("QUEUE REMOVE emptied"));
        var refused = await client.SendAsync("QUEUE REMOVE busy held");

        Assert.Equal("-ERR not removed: busy is not empty, held is paused (purge or resume it first)", refused);
        Assert.Equal(["busy", "held"], (await server.Api.QueuesAsync()).Select(q => q.Name));
        Assert.Equal("available", (await server.Api.GetAsync("j1")).State);
    }

    [Fact]
    public async Task FaktoryQueueRemove_ThenRestart_StillGone()
    {
        using var data = new TempDirectory("conveyor-remove-restart");
        var port = FaktoryServer.FreePort();
        await using (var first = await RunningServer.StartAsync(o => (o.DataDirectory, o.FaktoryPort) = (data.Path, port)))
        {
            await using var client = await RawFaktoryClient.OpenAsync(port);
            Assert.Equal("+OK", await client.SendAsync("QUEUE PAUSE a b"));
            Assert.Equal("+OK", await client.SendAsync("QUEUE RESUME a b"));
            Assert.Equal("+OK", await client.SendAsync("QUEUE REMOVE a"));
            await first.StopAsync();
        }

        await using var second = await RunningServer.StartAsync(o => o.DataDirectory = data.Path);

        Assert.Equal(["b"], (await second.Api.QueuesAsync()).Select(q => q.Name));
    }

    /// <summary>A queue that exists with no job in it: one enqueued, fetched and acked.</summary>
    private static async Task EmptyQueueAsync(RunningServer server, string queue)
    {
        var id = await server.Api.EnqueueAsync("t", queue);
        var job = await server.Api.FetchOneAsync(queue);
        using var ack = await server.Api.AckAsync(id, job.Lease!.Token);
        await ApiClient.ExpectAsync(ack, HttpStatusCode.NoContent);
    }
}
