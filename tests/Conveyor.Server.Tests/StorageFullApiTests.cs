using System.Net;
using Conveyor.Contracts;
using Conveyor.Server.Tests.Faktory;

namespace Conveyor.Server.Tests;

/// <summary>
/// A server at its memory budget refuses new jobs (HTTP 503 storage-full with Retry-After, Faktory -ERR) and keeps
/// serving everything else.
/// </summary>
public sealed class StorageFullApiTests
{
    /// <summary>Room for a few small jobs (each is accounted at a few hundred bytes).</summary>
    private const long Budget = 2000;

    private static async Task<RunningServer> FullServerAsync(int faktoryPort = 0)
    {
        var server = await RunningServer.StartAsync(o =>
        {
            o.MemoryBudgetBytes = Budget;
            o.FaktoryPort = faktoryPort;
        });
        while (true)
        {
            using var response = await server.Api.PostRawAsync("/v1/jobs", "{\"type\":\"fill\",\"queue\":\"q\",\"args\":[]}");
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return server;
            }

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    [Fact]
    public async Task Enqueue_Full_503StorageFullWithRetryAfter()
    {
        await using var server = await FullServerAsync();

        using var single = await server.Api.PostRawAsync("/v1/jobs", "{\"type\":\"t\",\"args\":[]}");
        using var batch = await server.Api.PostRawAsync("/v1/jobs/batch", "{\"jobs\":[{\"type\":\"t\",\"args\":[]}]}");

        foreach (var response in (HttpResponseMessage[])[single, batch])
        {
            var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.ServiceUnavailable, ProblemTypes.StorageFull);
            Assert.Contains("memory budget", problem.Detail, StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        }

        var stats = await server.Api.StatsAsync();
        Assert.Equal(Budget, stats.Memory?.BudgetBytes);
        Assert.InRange(stats.Memory!.HeldBytes, 1, Budget);
    }

    [Fact]
    public async Task Full_FetchAckFailHeartbeatCancelAndReads_StillWork()
    {
        await using var server = await FullServerAsync();
        var jobs = await server.Api.FetchAsync("q", max: 3);
        Assert.Equal(3, jobs.Count);

        using var heartbeat = await server.Api.PostRawAsync($"v1/jobs/{jobs[0].Id}/heartbeat", $"{{\"token\":\"{jobs[0].Lease!.Token}\"}}");
        await ApiClient.ExpectAsync(heartbeat, HttpStatusCode.OK);
        await ApiClient.ExpectAsync(await server.Api.AckAsync(jobs[0].Id, jobs[0].Lease!.Token), HttpStatusCode.NoContent);
        await ApiClient.ExpectAsync(
            await server.Api.FailAsync(jobs[1].Id, new Contracts.Workers.FailRequest { Token = jobs[1].Lease!.Token, ErrorType = "E", Message = "m" }),
            HttpStatusCode.NoContent);
        await ApiClient.ExpectAsync(await server.Api.PostAsync($"/v1/jobs/{jobs[2].Id}/cancel"), HttpStatusCode.NoContent);

        Assert.Equal("completed", (await server.Api.GetAsync(jobs[0].Id)).State);
        Assert.NotEmpty((await server.Api.ListAsync("?limit=10")).Jobs);
        Assert.Contains(await server.Api.QueuesAsync(), q => q.Name == "q");
    }

    [Fact]
    public async Task FaktoryPushAndPushBatch_Full_AnswerErrStorageFull()
    {
        var port = FaktoryServer.FreePort();
        await using var server = await FullServerAsync(port);
        await using var client = await RawFaktoryClient.OpenAsync(port);

        var push = await client.SendAsync("PUSH {\"jid\":\"full1\",\"jobtype\":\"t\",\"args\":[]}");
        var batch = await client.SendAsync("PUSHB [{\"jid\":\"full2\",\"jobtype\":\"t\",\"args\":[]}]");

        Assert.StartsWith("-ERR storage full", push, StringComparison.Ordinal);
        Assert.StartsWith("-ERR storage full", batch, StringComparison.Ordinal);
        var fetched = await client.SendAsync("FETCH q");
        Assert.Contains("\"jobtype\":\"fill\"", fetched, StringComparison.Ordinal);
    }
}
