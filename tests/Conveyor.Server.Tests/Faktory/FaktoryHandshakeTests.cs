using System.Text.Json;
using Conveyor.Protocol.Faktory;

namespace Conveyor.Server.Tests.Faktory;

public sealed class FaktoryHandshakeTests
{
    [Fact]
    public async Task Hello_NoPassword_GreetingWithoutSpacesThenOk()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using var client = await RawFaktoryClient.ConnectAsync(port);

        Assert.Equal("+HI {\"v\":2}", await client.ReadLineAsync());
        Assert.Equal("+OK", await client.SendAsync("HELLO {\"hostname\":\"h\",\"wid\":\"w1\",\"pid\":7,\"labels\":[\"a\"],\"v\":2}"));
        Assert.Equal("+OK", await client.SendAsync("BEAT {\"wid\":\"w1\"}"));
    }

    [Fact]
    public async Task Hello_RightPasswordHash_Ok()
    {
        var (server, port) = await FaktoryServer.StartAsync("s3cret");
        await using var _ = server;
        await using var client = await RawFaktoryClient.ConnectAsync(port);

        var (salt, iterations) = ParseGreeting(await client.ReadLineAsync());
        var hash = FaktoryPassword.Hash("s3cret", salt, iterations);

        Assert.Equal("+OK", await client.SendAsync($"HELLO {{\"hostname\":\"h\",\"v\":2,\"pwdhash\":\"{hash}\"}}"));
        Assert.Contains("\"faktory\"", await client.SendAsync("INFO"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData(null)]
    public async Task Hello_WrongOrMissingHash_ErrorAndClosed(string? password)
    {
        var (server, port) = await FaktoryServer.StartAsync("s3cret");
        await using var _ = server;
        await using var client = await RawFaktoryClient.ConnectAsync(port);

        var (salt, iterations) = ParseGreeting(await client.ReadLineAsync());
        var proof = password is null ? "" : $",\"pwdhash\":\"{FaktoryPassword.Hash(password, salt, iterations)}\"";

        Assert.Equal("-ERR Invalid password", await client.SendAsync($"HELLO {{\"hostname\":\"h\",\"v\":2{proof}}}"));
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task FirstLine_NotHello_ErrorAndClosed()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using var client = await RawFaktoryClient.ConnectAsync(port);
        await client.ReadLineAsync();

        Assert.Equal("-ERR expected HELLO", await client.SendAsync("INFO"));
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task Commands_GarbageAndErrors_ConnectionKept()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using var client = await RawFaktoryClient.OpenAsync(port);

        Assert.StartsWith("-ERR unknown command", await client.SendAsync("NOPE"));
        Assert.StartsWith("-ERR PUSH: malformed JSON at byte", await client.SendAsync("PUSH {not json"));
        Assert.StartsWith("-ERR", await client.SendAsync("PUSH {\"jid\":\"x\"}"));
        Assert.StartsWith("-ERR", await client.SendAsync("FAIL {\"jid\":\"nope\"}"));
        Assert.Equal("+OK", await client.SendAsync("ACK {\"jid\":\"nope\"}"));
        Assert.Equal("+OK", await client.SendAsync("PUSH {\"jid\":\"j1\",\"jobtype\":\"t\",\"args\":[1]}"));
        var fetched = await client.SendAsync("FETCH default");
        Assert.Contains("\"jid\":\"j1\"", fetched, StringComparison.Ordinal);
        Assert.Null(await client.SendAsync("END"));
    }

    [Fact]
    public async Task AckFromAnotherConnection_SettlesTheLease()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using var worker = await RawFaktoryClient.OpenAsync(port);
        await using var other = await RawFaktoryClient.OpenAsync(port);

        Assert.Equal("+OK", await worker.SendAsync("PUSH {\"jid\":\"j2\",\"jobtype\":\"t\",\"args\":[]}"));
        Assert.NotNull(await worker.SendAsync("FETCH default"));
        Assert.Equal("+OK", await other.SendAsync("ACK {\"jid\":\"j2\"}"));

        var job = await server.Http.GetStringAsync(new Uri("v1/jobs/j2", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains("\"state\":\"completed\"", job, StringComparison.Ordinal);
    }

    private static (string Salt, int Iterations) ParseGreeting(string? line)
    {
        Assert.NotNull(line);
        Assert.StartsWith("+HI ", line);
        using var json = JsonDocument.Parse(line[4..]);
        return (json.RootElement.GetProperty("s").GetString()!, json.RootElement.GetProperty("i").GetInt32());
    }
}
