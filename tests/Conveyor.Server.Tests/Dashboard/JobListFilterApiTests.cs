using System.Net;
using System.Net.Http.Json;
using Conveyor.Contracts;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;

namespace Conveyor.Server.Tests.Dashboard;

/// <summary><c>GET /v1/jobs</c> with the dashboard's filters: tag, id prefix and creation time range.</summary>
public sealed class JobListFilterApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_TagAndIdPrefix_OnlyMatchingJobs()
    {
        await using var server = await RunningServer.StartAsync();
        await server.Api.EnqueueJobAsync(new EnqueueRequest { Id = "order-1", Type = "t", Tags = ["eu"] });
        await server.Api.EnqueueJobAsync(new EnqueueRequest { Id = "order-2", Type = "t" });
        await server.Api.EnqueueJobAsync(new EnqueueRequest { Id = "invoice-1", Type = "t", Tags = ["eu"] });

        var tagged = await server.Api.ListAsync("?tag=eu");
        var orders = await server.Api.ListAsync("?id_prefix=order-");
        var both = await server.Api.ListAsync("?tag=eu&id_prefix=order-");

        Assert.Equal(["invoice-1", "order-1"], tagged.Jobs.Select(j => j.Id));
        Assert.Equal(["order-2", "order-1"], orders.Jobs.Select(j => j.Id));
        Assert.Equal("order-1", Assert.Single(both.Jobs).Id);
    }

    [Fact]
    public async Task List_TimeRange_OnlyJobsCreatedInIt()
    {
        await using var server = await RunningServer.StartAsync();
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        var id = await server.Api.EnqueueAsync("t");
        var after = DateTimeOffset.UtcNow.AddMinutes(1);

        var inside = await server.Api.ListAsync($"?from={Uri.EscapeDataString(before.ToString("O"))}&to={Uri.EscapeDataString(after.ToString("O"))}");
        var outside = await server.Api.ListAsync($"?to={Uri.EscapeDataString(before.ToString("O"))}");

        Assert.Equal(id, Assert.Single(inside.Jobs).Id);
        Assert.Empty(outside.Jobs);
    }

    [Fact]
    public async Task List_ToNotAfterFrom_422()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Http.GetAsync("v1/jobs?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", Ct);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal("to", problem.Field);
    }

    [Fact]
    public async Task List_FromNotATime_400()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Http.GetAsync("v1/jobs?from=yesterday", Ct);

        await ApiClient.ProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);
    }

    [Fact]
    public async Task List_DeadAmongManyPagedByState_EveryDeadJobOnce()
    {
        await using var server = await RunningServer.StartAsync();
        var jobs = Enumerable.Range(0, 3000).Select(i => new EnqueueRequest { Id = $"j-{i:D4}", Type = "t", Queue = i % 500 == 0 ? "doomed" : "default", MaxAttempts = 1 }).ToArray();
        using var batch = await server.Http.PostAsJsonAsync("v1/jobs/batch", new EnqueueBatchRequest { Jobs = jobs }, ConveyorJsonContext.Default.EnqueueBatchRequest, Ct);
        await ApiClient.ExpectAsync(batch, HttpStatusCode.Created);
        foreach (var job in await server.Api.FetchAsync("doomed", max: 10))
        {
            await ApiClient.ExpectAsync(await server.Api.FailAsync(job.Id, new Contracts.Workers.FailRequest { Token = job.Lease!.Token, Message = "x" }), HttpStatusCode.NoContent);
        }

        var first = await server.Api.ListAsync("?state=dead&limit=4");
        var second = await server.Api.ListAsync($"?state=dead&limit=4&cursor={first.NextCursor}");

        Assert.Equal(["j-2500", "j-2000", "j-1500", "j-1000"], first.Jobs.Select(j => j.Id));
        Assert.Equal(["j-0500", "j-0000"], second.Jobs.Select(j => j.Id));
        Assert.Null(second.NextCursor);
    }
}
