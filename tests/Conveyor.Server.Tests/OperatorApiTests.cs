using System.Net;
using Conveyor.Contracts;
using Conveyor.Contracts.Workers;

namespace Conveyor.Server.Tests;

public sealed class OperatorApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Retry_AvailableJob_Returns409WithTheSentence()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t");

        using var response = await server.Api.PostAsync($"v1/jobs/{id}/retry");

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Equal("cannot retry a job that is available; retry applies to dead, retrying jobs", problem.Detail);
    }

    [Fact]
    public async Task Retry_DeadJob_MakesItAvailable()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueJobAsync(new() { Type = "t", Queue = "q", MaxAttempts = 1 });
        var job = await server.Api.FetchOneAsync("q");
        (await server.Api.FailAsync(id, new FailRequest { Token = job.Lease!.Token })).Dispose();

        using var response = await server.Api.PostAsync($"v1/jobs/{id}/retry");

        await ApiClient.ExpectAsync(response, HttpStatusCode.NoContent);
        Assert.Equal("available", (await server.Api.GetAsync(id)).State);
    }

    [Fact]
    public async Task CancelAndRetry_UnknownJob_Return404()
    {
        await using var server = await RunningServer.StartAsync();

        using var cancel = await server.Api.PostAsync("v1/jobs/nope/cancel");
        using var retry = await server.Api.PostAsync("v1/jobs/nope/retry");

        await ApiClient.ProblemAsync(cancel, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await ApiClient.ProblemAsync(retry, HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task Cancel_CompletedJob_Returns409()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q");
        var job = await server.Api.FetchOneAsync("q");
        (await server.Api.AckAsync(id, job.Lease!.Token)).Dispose();

        using var response = await server.Api.PostAsync($"v1/jobs/{id}/cancel");

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Contains("completed", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PauseResume_PausedQueue_FetchesNothingUntilResumed()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q");

        using var pause = await server.Api.PostAsync("v1/queues/q/pause");
        await ApiClient.ExpectAsync(pause, HttpStatusCode.NoContent);
        Assert.Empty(await server.Api.FetchAsync("q"));
        Assert.True(Assert.Single(await server.Api.QueuesAsync()).Paused);

        using var resume = await server.Api.PostAsync("v1/queues/q/resume");
        await ApiClient.ExpectAsync(resume, HttpStatusCode.NoContent);
        Assert.Equal(id, (await server.Api.FetchOneAsync("q")).Id);
    }

    [Fact]
    public async Task Purge_Queue_RemovesOnlyItsAvailableJobs()
    {
        await using var server = await RunningServer.StartAsync();
        var gone = await server.Api.EnqueueAsync("t", "q");
        var later = await server.Api.EnqueueJobAsync(new() { Type = "t", Queue = "q", DelayMs = 3_600_000 });
        var elsewhere = await server.Api.EnqueueAsync("t", "other");

        using var response = await server.Api.DeleteAsync("v1/queues/q");

        await ApiClient.ExpectAsync(response, HttpStatusCode.NoContent);
        using var get = await server.Http.GetAsync($"v1/jobs/{gone}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("scheduled", (await server.Api.GetAsync(later)).State);
        Assert.Equal("available", (await server.Api.GetAsync(elsewhere)).State);
    }

    [Fact]
    public async Task ListQueues_AfterEnqueues_ShowsCountsPerQueue()
    {
        await using var server = await RunningServer.StartAsync();
        await server.Api.EnqueueAsync("t", "a");
        await server.Api.EnqueueAsync("t", "a");
        await server.Api.EnqueueJobAsync(new() { Type = "t", Queue = "b", DelayMs = 3_600_000 });
        await server.Api.FetchOneAsync("a");

        var queues = (await server.Api.QueuesAsync()).ToDictionary(q => q.Name);

        Assert.Equal((1, 0, 1, false), (queues["a"].Available, queues["a"].Scheduled, queues["a"].Active, queues["a"].Paused));
        Assert.Equal((0, 1), (queues["b"].Available, queues["b"].Scheduled));
    }

    [Fact]
    public async Task Stats_AfterWork_CountsEveryStateAndTotals()
    {
        await using var server = await RunningServer.StartAsync();
        var done = await server.Api.EnqueueAsync("t", "q");
        var job = await server.Api.FetchOneAsync("q");
        (await server.Api.AckAsync(done, job.Lease!.Token)).Dispose();
        await server.Api.EnqueueAsync("t", "q");
        await server.Api.EnqueueJobAsync(new() { Type = "t", DelayMs = 3_600_000 });
        var cancelled = await server.Api.EnqueueAsync("t", "z");
        (await server.Api.PostAsync($"v1/jobs/{cancelled}/cancel")).Dispose();

        var stats = await server.Api.StatsAsync();

        Assert.Equal(["scheduled", "available", "active", "retrying", "completed", "dead", "cancelled"], stats.Counts.Keys);
        Assert.Equal(1, stats.Counts["completed"]);
        Assert.Equal(1, stats.Counts["available"]);
        Assert.Equal(1, stats.Counts["scheduled"]);
        Assert.Equal(1, stats.Counts["cancelled"]);
        Assert.Equal(0, stats.Counts["dead"]);
        Assert.Equal(1, stats.Processed);
        Assert.Equal(0, stats.Failed);
    }

    [Fact]
    public async Task ListJobs_FiltersAndCursor_PagesThroughNewestFirst()
    {
        await using var server = await RunningServer.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await server.Api.EnqueueJobAsync(new() { Id = $"job-{i}", Type = "wanted", Queue = "q" }));
        }

        await server.Api.EnqueueAsync("unwanted", "q");
        await server.Api.EnqueueAsync("wanted", "elsewhere");
        await server.Api.EnqueueJobAsync(new() { Type = "wanted", Queue = "q", DelayMs = 3_600_000 });

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var query = "?state=available&queue=q&type=wanted&limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await server.Api.ListAsync(query);
            Assert.True(page.Jobs.Count <= 2);
            seen.AddRange(page.Jobs.Select(j => j.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 10);

        ids.Reverse();
        Assert.Equal(ids, seen);
        Assert.Equal(8, (await server.Api.ListAsync("")).Jobs.Count);
    }

    [Theory]
    [InlineData("?state=sleeping", "state")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=1001", "limit")]
    public async Task ListJobs_InvalidQuery_Returns422(string query, string field)
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Http.GetAsync("v1/jobs" + query, Ct);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal(field, problem.Field);
    }

    [Fact]
    public async Task ListJobs_LimitNotANumber_Returns400()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Http.GetAsync("v1/jobs?limit=ten", Ct);

        await ApiClient.ProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);
    }
}
