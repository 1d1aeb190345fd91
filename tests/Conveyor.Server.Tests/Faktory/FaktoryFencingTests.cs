using System.Net;
using Conveyor.Contracts;

namespace Conveyor.Server.Tests.Faktory;

/// <summary>Faktory ACK and FAIL settle only leases granted over Faktory to the connection's wid; other holders keep theirs.</summary>
public sealed class FaktoryFencingTests
{
    private const string Push = "PUSH {\"jid\":\"j1\",\"jobtype\":\"t\",\"args\":[],\"queue\":\"q\"}";

    [Fact]
    public async Task AckAndFail_JobLeasedOverHttp_ErrAndTheHttpWorkerKeepsIt()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using var faktory = await RawFaktoryClient.OpenAsync(port, "{\"wid\":\"A\",\"v\":2}");
        Assert.Equal("+OK", await faktory.SendAsync(Push));
        var leased = await server.Api.FetchOneAsync("q");

        Assert.Equal("-ERR job j1 is leased over HTTP; only its HTTP worker can settle it", await faktory.SendAsync("ACK {\"jid\":\"j1\"}"));
        Assert.Equal("-ERR job j1 is leased over HTTP; only its HTTP worker can settle it", await faktory.SendAsync("FAIL {\"jid\":\"j1\",\"message\":\"m\"}"));

        var job = await server.Api.GetAsync("j1");
        Assert.Equal("active", job.State);
        Assert.Equal((leased.Lease!.Token, "w1"), (job.Lease?.Token, job.Lease?.WorkerId));
        Assert.Empty(job.Failures);
        using var ack = await server.Api.AckAsync("j1", leased.Lease.Token);
        Assert.Equal(HttpStatusCode.NoContent, ack.StatusCode);
    }

    [Fact]
    public async Task Ack_ByAnotherWid_ErrThenTheFetchingWidOnAnotherConnectionAcks()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using var fetcher = await RawFaktoryClient.OpenAsync(port, "{\"wid\":\"A\",\"v\":2}");
        await using var other = await RawFaktoryClient.OpenAsync(port, "{\"wid\":\"B\",\"v\":2}");
        await using var sameWid = await RawFaktoryClient.OpenAsync(port, "{\"wid\":\"A\",\"v\":2}");
        Assert.Equal("+OK", await fetcher.SendAsync(Push));
        Assert.Contains("\"jid\":\"j1\"", await fetcher.SendAsync("FETCH q"), StringComparison.Ordinal);

        Assert.Equal("-ERR job j1 is leased to another Faktory worker; only that wid can ACK or FAIL it", await other.SendAsync("ACK {\"jid\":\"j1\"}"));
        Assert.StartsWith("-ERR job j1 is leased to another Faktory worker", await other.SendAsync("FAIL {\"jid\":\"j1\"}"), StringComparison.Ordinal);
        var held = await server.Api.GetAsync("j1");
        Assert.Equal(("active", "faktory:A"), (held.State, held.Lease?.WorkerId));

        Assert.Equal("+OK", await sameWid.SendAsync("ACK {\"jid\":\"j1\"}"));
        Assert.Equal("completed", (await server.Api.GetAsync("j1")).State);
    }

    [Fact]
    public async Task Fail_ByTheFetchingWid_Fails()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using var client = await RawFaktoryClient.OpenAsync(port, "{\"wid\":\"A\",\"v\":2}");
        Assert.Equal("+OK", await client.SendAsync(Push));
        Assert.NotNull(await client.SendAsync("FETCH q"));

        Assert.Equal("+OK", await client.SendAsync("FAIL {\"jid\":\"j1\",\"errtype\":\"E\",\"message\":\"m\"}"));

        var job = await server.Api.GetAsync("j1");
        Assert.Equal("retrying", job.State);
        Assert.Equal("m", Assert.Single(job.Failures).Message);
    }

    [Fact]
    public async Task Ack_WithoutWid_OnlyLeasesFetchedWithoutWid()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using var anonymous = await RawFaktoryClient.OpenAsync(port);
        await using var anotherAnonymous = await RawFaktoryClient.OpenAsync(port);
        await using var worker = await RawFaktoryClient.OpenAsync(port, "{\"wid\":\"A\",\"v\":2}");
        Assert.Equal("+OK", await anonymous.SendAsync(Push));
        Assert.NotNull(await anonymous.SendAsync("FETCH q"));

        Assert.StartsWith("-ERR job j1 is leased to another Faktory worker", await worker.SendAsync("ACK {\"jid\":\"j1\"}"), StringComparison.Ordinal);
        Assert.Equal("+OK", await anotherAnonymous.SendAsync("ACK {\"jid\":\"j1\"}"));
        Assert.Equal("completed", (await server.Api.GetAsync("j1")).State);
    }

    [Fact]
    public async Task HttpFetch_WorkerIdWithTheFaktoryPrefix_Refused()
    {
        (var server, _) = await FaktoryServer.StartAsync();
        await using var running = server;

        using var response = await server.Http.PostAsync(
            "v1/fetch", new StringContent("{\"queues\":[\"q\"],\"worker_id\":\"faktory:A\"}", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal("worker_id", problem.Field);
    }
}
