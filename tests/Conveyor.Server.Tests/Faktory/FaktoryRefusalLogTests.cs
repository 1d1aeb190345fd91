using Conveyor.Server.Faktory;
using Conveyor.Testing;
using Microsoft.Extensions.Logging;

namespace Conveyor.Server.Tests.Faktory;

/// <summary>Refused HELLOs are logged with the peer's address, never the password, and at most so many a minute.</summary>
public sealed class FaktoryRefusalLogTests
{
    private const string Proof = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task Hello_WrongPasswordManyTimes_RateLimitedWarningsWithTheAddressAndTheSkippedCount()
    {
        var log = new CapturedLog();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var (server, port) = await FaktoryServer.StartAsync(o =>
        {
            o.FaktoryPassword = "s3cret";
            o.LoggerProvider = log;
            o.Time = time;
        });
        await using var _ = server;

        for (var i = 0; i < FaktoryRefusalLog.PerWindow + 5; i++)
        {
            await RefusedHelloAsync(port);
        }

        var lines = Refusals(log);
        Assert.Equal(FaktoryRefusalLog.PerWindow, lines.Count);
        Assert.All(lines, line =>
        {
            Assert.Equal(LogLevel.Warning, line.Level);
            Assert.Contains("127.0.0.1", line.Message, StringComparison.Ordinal);
            Assert.Contains("Invalid password", line.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret", line.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Proof, line.Message, StringComparison.Ordinal);
        });

        time.Advance(FaktoryRefusalLog.Window);
        await RefusedHelloAsync(port);

        lines = Refusals(log);
        Assert.Equal(FaktoryRefusalLog.PerWindow + 1, lines.Count);
        Assert.Contains("(5 more refusals were not logged)", lines[^1].Message, StringComparison.Ordinal);
    }

    private static List<CapturedLine> Refusals(CapturedLog log) =>
        [.. log.Lines.Where(l => l.Category == typeof(FaktoryRefusalLog).FullName)];

    private static async Task RefusedHelloAsync(int port)
    {
        await using var client = await RawFaktoryClient.ConnectAsync(port);
        Assert.StartsWith("+HI", await client.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal("-ERR Invalid password", await client.SendAsync($"HELLO {{\"v\":2,\"pwdhash\":\"{Proof}\"}}"));
    }
}
