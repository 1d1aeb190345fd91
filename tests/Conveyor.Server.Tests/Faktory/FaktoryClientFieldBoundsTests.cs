namespace Conveyor.Server.Tests.Faktory;

/// <summary>HELLO and BEAT fields are bounded and printable; a bad one answers <c>-ERR</c> naming it.</summary>
public sealed class FaktoryClientFieldBoundsTests
{
    public static TheoryData<string, string> BadHellos() => new()
    {
        { "{\"wid\":\"" + new string('w', 129) + "\"}", "wid" },
        { "{\"wid\":\"a\\u0007b\"}", "wid" },
        { "{\"wid\":\"a\\u202Eb\"}", "wid" },
        { "{\"wid\":\"a\\u200Bb\"}", "wid" },
        { "{\"wid\":\"a b\"}", "wid" },
        { "{\"wid\":5}", "wid" },
        { "{\"hostname\":\"" + new string('h', 256) + "\"}", "hostname" },
        { "{\"hostname\":\"h\\n\"}", "hostname" },
        { "{\"pid\":-1}", "pid" },
        { "{\"pid\":\"x\"}", "pid" },
        { "{\"labels\":[" + string.Join(',', Enumerable.Repeat("\"l\"", 33)) + "]}", "labels" },
        { "{\"labels\":[\"" + new string('l', 129) + "\"]}", "labels[0]" },
        { "{\"labels\":[\"ok\",\"\\u2066x\"]}", "labels[1]" },
        { "{\"labels\":[null]}", "labels[0]" },
        { "{\"labels\":\"x\"}", "labels" },
        { "{\"v\":\"2\"}", "v" },
        { "{\"v\":3}", "version" },
        { "{\"pwdhash\":\"" + new string('0', 129) + "\"}", "pwdhash" },
        { "[]", "object" },
    };

    public static TheoryData<string, string> BadBeats() => new()
    {
        { "{\"wid\":\"" + new string('w', 129) + "\"}", "wid" },
        { "{\"wid\":\"a\\u202Eb\"}", "wid" },
        { "{\"wid\":\"w1\",\"current_state\":\"dancing\"}", "current_state" },
        { "{\"wid\":\"w1\",\"current_state\":7}", "current_state" },
        { "{\"wid\":\"w1\",\"rss_kb\":-1}", "rss_kb" },
    };

    [Theory]
    [MemberData(nameof(BadHellos))]
    public async Task Hello_FieldOutOfBounds_ErrNamingItThenClosed(string hello, string field)
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using var client = await RawFaktoryClient.ConnectAsync(port);
        Assert.StartsWith("+HI", await client.ReadLineAsync(), StringComparison.Ordinal);

        var reply = await client.SendAsync("HELLO " + hello);

        Assert.StartsWith("-ERR ", reply, StringComparison.Ordinal);
        Assert.Contains(field, reply, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", reply, StringComparison.Ordinal);
        Assert.Null(await client.ReadLineAsync());
        Assert.Empty(await server.Api.WorkersAsync());
    }

    [Theory]
    [MemberData(nameof(BadBeats))]
    public async Task Beat_FieldOutOfBounds_ErrNamingItAndTheConnectionGoesOn(string beat, string field)
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using var client = await RawFaktoryClient.OpenAsync(port, "{\"wid\":\"w1\",\"v\":2}");

        var reply = await client.SendAsync("BEAT " + beat);

        Assert.StartsWith("-ERR BEAT", reply, StringComparison.Ordinal);
        Assert.Contains(field, reply, StringComparison.Ordinal);
        Assert.Equal("+OK", await client.SendAsync("BEAT {\"wid\":\"w1\",\"current_state\":\"quiet\",\"rss_kb\":1024}"));
    }

    [Fact]
    public async Task Hello_FieldsAtTheirBounds_Accepted()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        var labels = string.Join(',', Enumerable.Range(0, 32).Select(i => $"\"{new string('l', 127)}{i % 10}\""));
        var wid = new string('w', 128);

        await using var client = await RawFaktoryClient.OpenAsync(
            port, $"{{\"wid\":\"{wid}\",\"hostname\":\"{new string('h', 255)}\",\"pid\":{int.MaxValue},\"labels\":[{labels}],\"v\":2}}");

        Assert.Equal("+OK", await client.SendAsync($"BEAT {{\"wid\":\"{wid}\",\"current_state\":\"terminate\",\"rss_kb\":0}}"));
        Assert.Equal(32, Assert.Single(await server.Api.WorkersAsync()).Labels.Count);
    }
}
