using System.Net;
using Conveyor.Contracts;

namespace Conveyor.Server.Tests.Faktory;

/// <summary><c>FLUSH</c> empties the store in one write: every job, reserved ones included, and every queue.</summary>
public sealed class FaktoryFlushVerbTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Flush_JobsAndQueues_AllGoneAndALateAckIsANoOp()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using var client = await RawFaktoryClient.OpenAsync(port);
        Assert.Equal("+OK", await client.SendAsync("PUSH {\"jid\":\"a\",\"jobtype\":\"t\",\"args\":[],\"queue\":\"q\"}"));
        Assert.Equal("+OK", await client.SendAsync("PUSH {\"jid\":\"b\",\"jobtype\":\"t\",\"args\":[],\"queue\":\"other\"}"));
        Assert.Contains("\"jid\":\"a\"", await client.SendAsync("FETCH q"), StringComparison.Ordinal);
        Assert.Equal("+OK", await client.SendAsync("QUEUE PAUSE other"));

        Assert.Equal("+OK", await client.SendAsync("FLUSH"));

        Assert.Empty(await server.Api.QueuesAsync());
        Assert.All((await server.Api.StatsAsync()).Counts.Values, count => Assert.Equal(0, count));
        using var get = await server.Http.GetAsync("v1/jobs/a", Ct);
        await ApiClient.ProblemAsync(get, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal("+OK", await client.SendAsync("ACK {\"jid\":\"a\"}"));
    }
}
