using System.Net;
using System.Net.Http.Json;
using Conveyor.Contracts;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;
using Conveyor.Server.Dashboard;

namespace Conveyor.Server.Tests.Dashboard;

/// <summary><c>POST /v1/jobs/bulk</c> (over a filter or ids, run on the server), its progress, and <c>DELETE /v1/jobs/{id}</c>.</summary>
public sealed class BulkApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bulk_RetryAllDeadMatchingAFilter_DoneWithEveryOneAvailable()
    {
        await using var server = await RunningServer.StartAsync();
        await MakeDeadAsync(server, "mail", 1200);
        await MakeDeadAsync(server, "other", 5);

        var operation = await StartAsync(server, """{"action":"retry","filter":{"state":"dead","queue":"mail"}}""");
        var done = await WaitDoneAsync(server, operation);

        Assert.Equal("done", done.Status);
        Assert.Equal(1200, done.Matched);
        Assert.Equal(1200, done.Applied);
        Assert.Equal(0, done.Skipped);
        Assert.Null(done.Error);
        var stats = await server.Api.StatsAsync();
        Assert.Equal(1200, stats.Counts["available"]);
        Assert.Equal(5, stats.Counts["dead"]);
    }

    [Fact]
    public async Task Bulk_DeleteCheckedIds_DeletesThoseNotActive()
    {
        await using var server = await RunningServer.StartAsync();
        var a = await server.Api.EnqueueAsync("t", "q");
        var b = await server.Api.EnqueueAsync("t", "q");
        var keep = await server.Api.EnqueueAsync("t", "q");
        var active = await server.Api.EnqueueAsync("t", "busy");
        await server.Api.FetchOneAsync("busy");

        var operation = await StartAsync(server, $$"""{"action":"delete","ids":["{{a}}","{{b}}","{{active}}","missing"]}""");
        var done = await WaitDoneAsync(server, operation);

        Assert.Equal(2, done.Applied);
        Assert.Equal(2, done.Skipped);
        Assert.Equal(keep, Assert.Single((await server.Api.ListAsync("?queue=q")).Jobs).Id);
        Assert.Equal("active", (await server.Api.GetAsync(active)).State);
    }

    [Fact]
    public async Task Bulk_CancelAllAvailable_Cancelled()
    {
        await using var server = await RunningServer.StartAsync();
        for (var i = 0; i < 70; i++)
        {
            await server.Api.EnqueueAsync("t", "q");
        }

        var done = await WaitDoneAsync(server, await StartAsync(server, """{"action":"cancel","filter":{"state":"available"}}"""));

        Assert.Equal(70, done.Applied);
        Assert.Equal(70, (await server.Api.StatsAsync()).Counts["cancelled"]);
    }

    [Theory]
    [InlineData("""{"action":"explode","ids":["a"]}""", "action")]
    [InlineData("""{"action":"retry"}""", "filter")]
    [InlineData("""{"action":"retry","ids":["a"],"filter":{"state":"dead"}}""", "filter")]
    [InlineData("""{"action":"retry","filter":{"queue":"q"}}""", "filter.state")]
    [InlineData("""{"action":"retry","filter":{"state":"sleeping"}}""", "state")]
    [InlineData("""{"action":"retry","ids":[]}""", "ids")]
    public async Task Bulk_InvalidRequest_422NamingTheField(string body, string field)
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostRawAsync("v1/jobs/bulk", body);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal(field, problem.Field);
    }

    [Fact]
    public async Task Bulk_MalformedJson_400WithoutTypeNames()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostRawAsync("v1/jobs/bulk", """{"action":7}""");

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.MalformedJson);
        Assert.DoesNotContain("Conveyor.", problem.Detail ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operation_Unknown_404()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Http.GetAsync("v1/operations/op-nope", Ct);

        await ApiClient.ProblemAsync(response, HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task Delete_OneJob_204ThenGone()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t");

        using var deleted = await server.Api.DeleteAsync($"v1/jobs/{id}");
        using var again = await server.Api.DeleteAsync($"v1/jobs/{id}");
        using var get = await server.Http.GetAsync($"v1/jobs/{id}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ApiClient.ProblemAsync(again, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Delete_ActiveJob_409AndKept()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q");
        await server.Api.FetchOneAsync("q");

        using var response = await server.Api.DeleteAsync($"v1/jobs/{id}");

        await ApiClient.ProblemAsync(response, HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Equal("active", (await server.Api.GetAsync(id)).State);
    }

    internal static async Task MakeDeadAsync(RunningServer server, string queue, int count)
    {
        var jobs = Enumerable.Range(0, count).Select(_ => new EnqueueRequest { Type = "t", Queue = queue, MaxAttempts = 1 }).ToArray();
        using var batch = await server.Http.PostAsJsonAsync("v1/jobs/batch", new EnqueueBatchRequest { Jobs = jobs }, ConveyorJsonContext.Default.EnqueueBatchRequest, Ct);
        await ApiClient.ExpectAsync(batch, HttpStatusCode.Created);
        for (var left = count; left > 0;)
        {
            var leased = await server.Api.FetchAsync(queue, max: Math.Min(left, 1000));
            var fails = leased.Select(j => new SettleFail { Id = j.Id, Token = j.Lease!.Token, ErrorType = "E", Message = "boom" }).ToList();
            using var settle = await server.Http.PostAsJsonAsync("v1/settle", new SettleRequest { Fail = fails }, ConveyorJsonContext.Default.SettleRequest, Ct);
            await ApiClient.ExpectAsync(settle, HttpStatusCode.OK);
            left -= leased.Count;
        }
    }

    private static async Task<string> StartAsync(RunningServer server, string body)
    {
        using var response = await server.Api.PostRawAsync("v1/jobs/bulk", body);
        await ApiClient.ExpectAsync(response, HttpStatusCode.Accepted);
        var accepted = (await response.Content.ReadFromJsonAsync(DashboardJsonContext.Default.BulkAccepted, Ct))!;
        Assert.Equal($"/v1/operations/{accepted.Id}", response.Headers.Location?.ToString());
        return accepted.Id;
    }

    private static async Task<OperationView> WaitDoneAsync(RunningServer server, string id)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var view = (await server.Http.GetFromJsonAsync($"v1/operations/{id}", DashboardJsonContext.Default.OperationView, Ct))!;
            if (view.Status != "running")
            {
                Assert.NotNull(view.FinishedAt);
                return view;
            }

            Assert.True(DateTime.UtcNow < deadline, "the operation did not finish");
            await Task.Delay(50, Ct);
        }
    }
}
