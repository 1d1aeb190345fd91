namespace Conveyor.Server.Tests.Faktory;

/// <summary>A jid is idempotent for the same job only: another jobtype or other args under it is refused.</summary>
public sealed class FaktoryPushConflictTests
{
    [Fact]
    public async Task Push_SameJidSameJob_AnswersOk()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using var client = await RawFaktoryClient.OpenAsync(port);
        const string push = "PUSH {\"jid\":\"a1b2c3\",\"jobtype\":\"t\",\"args\":[1]}";

        Assert.Equal("+OK", await client.SendAsync(push));
        Assert.Equal("+OK", await client.SendAsync(push));
    }

    [Theory]
    [InlineData("PUSH {\"jid\":\"a1b2c3\",\"jobtype\":\"other\",\"args\":[1]}")]
    [InlineData("PUSH {\"jid\":\"a1b2c3\",\"jobtype\":\"t\",\"args\":[2]}")]
    public async Task Push_SameJidOtherJobtypeOrArgs_AnswersErrNamingTheJid(string push)
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using var client = await RawFaktoryClient.OpenAsync(port);
        Assert.Equal("+OK", await client.SendAsync("PUSH {\"jid\":\"a1b2c3\",\"jobtype\":\"t\",\"args\":[1]}"));

        Assert.Equal("-ERR jid a1b2c3 exists with a different jobtype or args", await client.SendAsync(push));

        Assert.Equal("t", (await server.Api.GetAsync("a1b2c3")).Type);
    }

    [Fact]
    public async Task PushBatch_OneJidConflicts_AnswersErrAndEnqueuesNothing()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using var client = await RawFaktoryClient.OpenAsync(port);
        Assert.Equal("+OK", await client.SendAsync("PUSH {\"jid\":\"taken\",\"jobtype\":\"t\",\"args\":[]}"));

        var reply = await client.SendAsync(
            "PUSHB [{\"jid\":\"fresh\",\"jobtype\":\"t\",\"args\":[]},{\"jid\":\"taken\",\"jobtype\":\"other\",\"args\":[]}]");

        Assert.Equal("-ERR jid taken exists with a different jobtype or args", reply);
        Assert.Equal(1, (await server.Api.StatsAsync()).Counts.Values.Sum());
    }
}
