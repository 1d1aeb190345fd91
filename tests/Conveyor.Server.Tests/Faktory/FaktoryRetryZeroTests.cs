using System.Net;
using Conveyor.Contracts;
using Conveyor.Contracts.Workers;

namespace Conveyor.Server.Tests.Faktory;

/// <summary><c>retry: 0</c> is the store's <c>dead: false</c>, so any way the attempt ends discards the job.</summary>
public sealed class FaktoryRetryZeroTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Push_RetryZeroFailedOverHttp_JobGone()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using (var client = await RawFaktoryClient.OpenAsync(port))
        {
            Assert.Equal("+OK", await client.SendAsync("PUSH {\"jid\":\"z1\",\"jobtype\":\"t\",\"args\":[],\"queue\":\"q\",\"retry\":0}"));
        }

        var job = await server.Api.FetchOneAsync("q");
        Assert.Equal(("z1", 1, false), (job.Id, job.MaxAttempts, job.Dead));
        Assert.Equal("0", job.Meta["faktory.retry"]);

        using var fail = await server.Api.FailAsync("z1", new FailRequest { Token = job.Lease!.Token });

        await ApiClient.ExpectAsync(fail, HttpStatusCode.NoContent);
        using var get = await server.Http.GetAsync("v1/jobs/z1", Ct);
        await ApiClient.ProblemAsync(get, HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task Push_RetryMinusOne_StillGoesDead()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using (var client = await RawFaktoryClient.OpenAsync(port))
        {
            Assert.Equal("+OK", await client.SendAsync("PUSH {\"jid\":\"d1\",\"jobtype\":\"t\",\"args\":[],\"queue\":\"q\",\"retry\":-1}"));
        }

        var job = await server.Api.FetchOneAsync("q");
        Assert.True(job.Dead);

        using var fail = await server.Api.FailAsync("d1", new FailRequest { Token = job.Lease!.Token });

        await ApiClient.ExpectAsync(fail, HttpStatusCode.NoContent);
        Assert.Equal("dead", (await server.Api.GetAsync("d1")).State);
    }
}
