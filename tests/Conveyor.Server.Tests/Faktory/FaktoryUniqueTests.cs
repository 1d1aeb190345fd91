namespace Conveyor.Server.Tests.Faktory;

/// <summary>Faktory Enterprise's unique jobs: <c>unique_for</c> and <c>unique_until</c> custom fields, <c>-NOTUNIQUE</c> on a duplicate.</summary>
public sealed class FaktoryUniqueTests
{
    private const string Unique = "PUSH {\"jid\":\"JID\",\"jobtype\":\"t\",\"args\":[1,{\"a\":2}],\"custom\":{\"unique_for\":600}}";

    private static string Push(string jid, string custom = "\"unique_for\":600", string args = "[1,{\"a\":2}]", string queue = "default") =>
        $"PUSH {{\"jid\":\"{jid}\",\"jobtype\":\"t\",\"queue\":\"{queue}\",\"args\":{args},\"custom\":{{{custom}}}}}";

    [Fact]
    public async Task Push_UniqueForHeld_AnswersNotUnique()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using var client = await RawFaktoryClient.OpenAsync(port);
        Assert.Equal("+OK", await client.SendAsync(Unique.Replace("JID", "first", StringComparison.Ordinal)));

        Assert.Equal("-NOTUNIQUE Job not unique", await client.SendAsync(Unique.Replace("JID", "second", StringComparison.Ordinal)));

        Assert.Equal(1, (await server.Api.StatsAsync()).Counts.Values.Sum());
        var first = await server.Api.GetAsync("first");
        Assert.Equal("completed", first.UniqueUntil);
        Assert.StartsWith("args:", first.UniqueKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_OtherArgsOrQueueOrNoUniqueFor_Accepted()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using var client = await RawFaktoryClient.OpenAsync(port);
        Assert.Equal("+OK", await client.SendAsync(Push("a")));

        Assert.Equal("+OK", await client.SendAsync(Push("b", args: "[2]")));
        Assert.Equal("+OK", await client.SendAsync(Push("c", queue: "other")));
        Assert.Equal("+OK", await client.SendAsync(Push("d", custom: "\"x\":1")));

        // The same jid is idempotent, not a unique refusal.
        Assert.Equal("+OK", await client.SendAsync(Push("a")));
    }

    [Fact]
    public async Task Push_UniqueUntilStart_FreeOnceFetched()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using var client = await RawFaktoryClient.OpenAsync(port);
        Assert.Equal("+OK", await client.SendAsync(Push("a", custom: "\"unique_for\":600,\"unique_until\":\"start\"")));
        Assert.Equal("-NOTUNIQUE Job not unique", await client.SendAsync(Push("b", custom: "\"unique_for\":600,\"unique_until\":\"start\"")));

        Assert.Contains("\"jid\":\"a\"", await client.SendAsync("FETCH default"), StringComparison.Ordinal);

        Assert.Equal("+OK", await client.SendAsync(Push("c", custom: "\"unique_for\":600,\"unique_until\":\"start\"")));
    }

    [Fact]
    public async Task PushBatch_DuplicateInBatch_ReportedNotUniqueInTheMap()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using var client = await RawFaktoryClient.OpenAsync(port);
        var a = Push("a")[5..];
        var b = Push("b")[5..];

        var reply = await client.SendAsync($"PUSHB [{a},{b}]");

        Assert.Contains("{\"b\":\"NOTUNIQUE Job not unique\"}", reply, StringComparison.Ordinal);
        Assert.Equal(1, (await server.Api.StatsAsync()).Counts.Values.Sum());
    }

    [Theory]
    [InlineData("\"unique_for\":\"600\"")]
    [InlineData("\"unique_for\":-1")]
    [InlineData("\"unique_for\":600,\"unique_until\":\"never\"")]
    public async Task Push_BadUniqueFields_AnswersErr(string custom)
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using var client = await RawFaktoryClient.OpenAsync(port);

        var reply = await client.SendAsync(Push("a", custom: custom));

        Assert.StartsWith("-ERR unique_", reply, StringComparison.Ordinal);
    }
}
