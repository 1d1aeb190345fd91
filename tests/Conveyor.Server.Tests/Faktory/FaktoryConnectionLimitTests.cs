using System.Diagnostics;

namespace Conveyor.Server.Tests.Faktory;

/// <summary>The Faktory port's connection cap, handshake and idle timeouts, and line limits, over real sockets.</summary>
public sealed class FaktoryConnectionLimitTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Connect_PastTheCap_TooManyConnectionsThenClosed()
    {
        var (server, port) = await FaktoryServer.StartAsync(o => o.FaktoryLimits.MaxConnections = 3);
        await using var _ = server;
        await using var a = await RawFaktoryClient.OpenAsync(port);
        await using var b = await RawFaktoryClient.OpenAsync(port);
        await using var c = await RawFaktoryClient.OpenAsync(port);

        await using var refused = await RawFaktoryClient.ConnectAsync(port);

        Assert.Equal("-ERR too many connections: 4", await refused.ReadLineAsync());
        Assert.Null(await refused.ReadLineAsync());
        Assert.Equal("+OK", await a.SendAsync("BEAT {\"wid\":\"w1\"}"));
    }

    [Fact]
    public async Task Connect_AfterEveryKindOfClose_CountedDownAndAdmitted()
    {
        var (server, port) = await FaktoryServer.StartAsync(o =>
        {
            o.FaktoryLimits.MaxConnections = 1;
            o.FaktoryLimits.IdleTimeout = TimeSpan.FromSeconds(2);
        });
        await using var _ = server;

        // A refused HELLO, END, the client hanging up, an idle close and a refusal at the cap each free their place.
        await using (var badHello = await OpenWhenAdmittedAsync(port))
        {
            Assert.StartsWith("-ERR", await badHello.SendAsync("HELLO {\"v\":3}"), StringComparison.Ordinal);
            Assert.Null(await badHello.ReadLineAsync());
        }

        await using (var ended = await OpenWhenAdmittedAsync(port))
        {
            Assert.Equal("+OK", await ended.SendAsync("HELLO {\"v\":2}"));
            await ended.SendRawAsync("END\r\n");
            Assert.Null(await ended.ReadLineAsync());
        }

        await using (var hungUp = await OpenWhenAdmittedAsync(port))
        {
            Assert.Equal("+OK", await hungUp.SendAsync("HELLO {\"v\":2}"));
        }

        await using (var idle = await OpenWhenAdmittedAsync(port))
        {
            Assert.Equal("+OK", await idle.SendAsync("HELLO {\"v\":2}"));
            Assert.StartsWith("-ERR idle", await idle.ReadLineAsync(), StringComparison.Ordinal);
        }

        await using var last = await OpenWhenAdmittedAsync(port);
        Assert.Equal("+OK", await last.SendAsync("HELLO {\"v\":2}"));
        await using (var overCap = await RawFaktoryClient.ConnectAsync(port))
        {
            Assert.StartsWith("-ERR too many connections", await overCap.ReadLineAsync(), StringComparison.Ordinal);
        }

        Assert.StartsWith("{", await last.SendAsync("INFO"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silence_AfterHello_ClosedWithinTheBound()
    {
        var (server, port) = await FaktoryServer.StartAsync(o => o.FaktoryLimits.IdleTimeout = TimeSpan.FromMilliseconds(200));
        await using var _ = server;
        await using var client = await RawFaktoryClient.OpenAsync(port);
        var clock = Stopwatch.StartNew();

        Assert.Equal("-ERR idle for 0.2 s; closing", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
        Assert.True(clock.Elapsed < Generous, $"closed after {clock.Elapsed}");
    }

    [Fact]
    public async Task Fetch_BlockingLongerThanTheIdleTimeout_NotIdle()
    {
        var (server, port) = await FaktoryServer.StartAsync(o => o.FaktoryLimits.IdleTimeout = TimeSpan.FromMilliseconds(500));
        await using var _ = server;
        await using var client = await RawFaktoryClient.OpenAsync(port);

        // FETCH waits 2 s on an empty queue: longer than the idle timeout, and still answered.
        Assert.Null(await client.SendAsync("FETCH empty"));
        Assert.Equal("+OK", await client.SendAsync("PUSH {\"jid\":\"j1\",\"jobtype\":\"t\",\"args\":[],\"queue\":\"q\"}"));
    }

    [Fact]
    public async Task Silence_BeforeHello_ClosedAfterTheHandshakeTimeout()
    {
        var (server, port) = await FaktoryServer.StartAsync(o => o.FaktoryLimits.HandshakeTimeout = TimeSpan.FromMilliseconds(200));
        await using var _ = server;
        await using var client = await RawFaktoryClient.ConnectAsync(port);
        var clock = Stopwatch.StartNew();

        Assert.StartsWith("+HI", await client.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal("-ERR handshake timed out", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
        Assert.True(clock.Elapsed < Generous, $"closed after {clock.Elapsed}");
    }

    [Fact]
    public async Task Line_OverTheLimit_ErrNamingTheLimitThenClosed()
    {
        var (server, port) = await FaktoryServer.StartAsync(o => o.FaktoryLimits.MaxLineBytes = 64 * 1024);
        await using var _ = server;
        await using var client = await RawFaktoryClient.OpenAsync(port);

        var reply = await client.SendAsync($"PUSH {{\"jobtype\":\"t\",\"args\":[\"{new string('x', 70 * 1024)}\"]}}");

        Assert.Equal("-ERR line too long (limit 65536 bytes); closing", reply);
        Assert.Null(await client.ReadLineAsync());
        Assert.Equal(0, (await server.Api.StatsAsync()).Counts.Values.Sum());
    }

    [Fact]
    public async Task Hello_OverItsLineLimit_RefusedBeforeAuthentication()
    {
        var (server, port) = await FaktoryServer.StartAsync("s3cret");
        await using var _ = server;
        await using var client = await RawFaktoryClient.ConnectAsync(port);
        Assert.StartsWith("+HI", await client.ReadLineAsync(), StringComparison.Ordinal);

        var reply = await client.SendAsync($"HELLO {{\"hostname\":\"{new string('h', FaktoryLimits.HelloLineBytes)}\"}}");

        Assert.Equal($"-ERR HELLO line too long (limit {FaktoryLimits.HelloLineBytes} bytes)", reply);
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task Line_LargeButUnderTheLimit_AcceptedAndTheConnectionGoesOn()
    {
        var (server, port) = await FaktoryServer.StartAsync(o => { });
        await using var _ = server;
        await using var client = await RawFaktoryClient.OpenAsync(port);
        var args = new string('x', 900 * 1024);

        Assert.Equal("+OK", await client.SendAsync($"PUSH {{\"jid\":\"big\",\"jobtype\":\"t\",\"args\":[\"{args}\"]}}"));
        Assert.Equal("+OK", await client.SendAsync("PUSH {\"jid\":\"small\",\"jobtype\":\"t\",\"args\":[]}"));

        Assert.Equal(2, (await server.Api.StatsAsync()).Counts.Values.Sum());
        Assert.Equal(args.Length + 4, (await server.Api.GetAsync("big")).Args.ToString().Length);
    }

    /// <summary>Connects until the server greets instead of refusing: a closed connection is counted down just after the client sees it close.</summary>
    private static async Task<RawFaktoryClient> OpenWhenAdmittedAsync(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var client = await RawFaktoryClient.ConnectAsync(port);
            var greeting = await client.ReadLineAsync();
            if (greeting?.StartsWith("+HI", StringComparison.Ordinal) == true)
            {
                return client;
            }

            await client.DisposeAsync();
            Assert.True(deadline.Elapsed < Generous, $"still refused after {deadline.Elapsed}: {greeting}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
