using System.Net;
using System.Net.Http.Json;
using System.Text;
using Conveyor.Contracts;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;

namespace Conveyor.Server.Tests;

public sealed class BatchApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EnqueueBatch_ValidJobs_Returns201WithIdsInOrder()
    {
        await using var server = await RunningServer.StartAsync();
        var batch = new EnqueueBatchRequest { Jobs = [new() { Id = "a", Type = "t" }, new() { Type = "t" }, new() { Id = "c", Type = "t", Queue = "other" }] };

        using var response = await server.Http.PostAsJsonAsync("v1/jobs/batch", batch, ConveyorJsonContext.Default.EnqueueBatchRequest, Ct);

        await ApiClient.ExpectAsync(response, HttpStatusCode.Created);
        var ids = (await response.Content.ReadFromJsonAsync(ConveyorJsonContext.Default.EnqueueBatchResponse, Ct))!.Ids;
        Assert.Equal(3, ids.Count);
        Assert.Equal("a", ids[0]);
        Assert.Equal("c", ids[2]);
        Assert.Equal("other", (await server.Api.GetAsync("c")).Queue);
        Assert.Equal(3, (await server.Api.StatsAsync()).Counts["available"]);
    }

    [Fact]
    public async Task EnqueueBatch_IdTakenByAnotherType_Returns409WithIndexAndEnqueuesNothing()
    {
        await using var server = await RunningServer.StartAsync();
        await server.Api.EnqueueJobAsync(new() { Id = "b", Type = "t" });
        var batch = new EnqueueBatchRequest { Jobs = [new() { Id = "a", Type = "t" }, new() { Id = "b", Type = "other" }] };

        using var response = await server.Http.PostAsJsonAsync("v1/jobs/batch", batch, ConveyorJsonContext.Default.EnqueueBatchRequest, Ct);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.Conflict, ProblemTypes.IdConflict);
        Assert.Equal("id", problem.Field);
        Assert.Equal(1, problem.Index);
        using var get = await server.Http.GetAsync("v1/jobs/a", Ct);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(1, (await server.Api.StatsAsync()).Counts.Values.Sum());
    }

    [Fact]
    public async Task EnqueueBatch_OneInvalidJob_Returns422WithIndexAndEnqueuesNothing()
    {
        await using var server = await RunningServer.StartAsync();
        var batch = new EnqueueBatchRequest { Jobs = [new() { Id = "a", Type = "t" }, new() { Id = "b", Type = "t" }, new() { Id = "c", Type = "t", Priority = 0 }] };

        using var response = await server.Http.PostAsJsonAsync("v1/jobs/batch", batch, ConveyorJsonContext.Default.EnqueueBatchRequest, Ct);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal("priority", problem.Field);
        Assert.Equal(2, problem.Index);
        using var get = await server.Http.GetAsync("v1/jobs/a", Ct);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(0, (await server.Api.StatsAsync()).Counts.Values.Sum());
    }

    [Fact]
    public async Task EnqueueBatch_BothDelayAndRunAtInOneItem_Returns422WithIndex()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostRawAsync("v1/jobs/batch", """{"jobs":[{"type":"t"},{"type":"t","delay_ms":1,"run_at":"2030-01-01T00:00:00Z"}]}""");

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal("delay_ms", problem.Field);
        Assert.Equal(1, problem.Index);
    }

    [Theory]
    [InlineData("""{"jobs":[]}""")]
    [InlineData("""{}""")]
    public async Task EnqueueBatch_NoJobs_Returns422(string body)
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostRawAsync("v1/jobs/batch", body);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal("jobs", problem.Field);
    }

    [Fact]
    public async Task EnqueueBatch_OverTenThousandJobs_Returns413()
    {
        await using var server = await RunningServer.StartAsync();
        var body = new StringBuilder("""{"jobs":[""");
        for (var i = 0; i < 10_001; i++)
        {
            body.Append(i == 0 ? "" : ",").Append("""{"type":"t"}""");
        }

        using var response = await server.Api.PostRawAsync("v1/jobs/batch", body.Append("]}").ToString());

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, ProblemTypes.PayloadTooLarge);
        Assert.Equal("jobs", problem.Field);
    }

    [Fact]
    public async Task EnqueueBatch_BodyOverTheSingleJobLimit_IsAcceptedUpToTheBatchLimit()
    {
        await using var server = await RunningServer.StartAsync(o => o.MaxBatchBodyBytes = 4 << 20);
        var args = $"\"{new string('x', 600_000)}\"";
        var jobs = Enumerable.Range(0, 3).Select(_ => new EnqueueRequest { Type = "t", Args = RawJson.FromString(args) }).ToList();

        using var ok = await server.Http.PostAsJsonAsync("v1/jobs/batch", new EnqueueBatchRequest { Jobs = jobs }, ConveyorJsonContext.Default.EnqueueBatchRequest, Ct);
        await ApiClient.ExpectAsync(ok, HttpStatusCode.Created);

        var tooMany = Enumerable.Range(0, 8).Select(_ => jobs[0]).ToList();
        using var tooLarge = await server.Http.PostAsJsonAsync("v1/jobs/batch", new EnqueueBatchRequest { Jobs = tooMany }, ConveyorJsonContext.Default.EnqueueBatchRequest, Ct);
        await ApiClient.ProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, ProblemTypes.PayloadTooLarge);
    }
}
