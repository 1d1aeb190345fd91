using Microsoft.Extensions.Logging;

namespace Conveyor.Server.Tests.Faktory;

/// <summary>Bad input to any command answers a clear <c>-ERR</c> (never "internal error", never a .NET type) and logs no error.</summary>
public sealed class FaktoryClearErrorTests
{
    public static TheoryData<string> BadCommands() =>
    [
        "PUSHB [null]",
        "PUSHB [1]",
        "PUSHB null",
        "PUSHB {}",
        "PUSHB [",
        "PUSH null",
        "PUSH [1]",
        "PUSH {",
        "PUSH {} trailing",
        "PUSH",
        "PUSH {\"jobtype\":5}",
        "PUSH {\"jobtype\":\"t\",\"args\":{}}",
        "PUSH {\"jobtype\":\"t\",\"retry\":\"x\"}",
        "PUSH {\"jobtype\":\"t\",\"priority\":1e99}",
        "PUSH {\"jobtype\":\"t\",\"at\":\"not a time\"}",
        "PUSH {\"jobtype\":\"t\",\"custom\":[1]}",
        "PUSH {\"jobtype\":\"t\",\"jid\":\"has spaces\"}",
        "PUSH {\"jobtype\":\"t\",\"queue\":\"\\u0000\"}",
        "ACK null",
        "ACK [1]",
        "ACK {\"jid\":5}",
        "ACK {}",
        "FAIL null",
        "FAIL {\"jid\":\"x\",\"backtrace\":\"not a list\"}",
        "FAIL {\"jid\":\"nope\"}",
        "BEAT null",
        "BEAT {\"wid\":5}",
        "BEAT {\"wid\":\"w1\",\"rss_kb\":\"x\"}",
        "MUTATE {\"cmd\":\"kill\",\"target\":\"dead\",\"filter\":{\"regexp\":\"[z-a]\"}}",
        "MUTATE {\"cmd\":\"discard\",\"target\":\"retries\",\"filter\":{\"regexp\":\"" + new string('*', 2000) + "\"}}",
        "MUTATE {\"cmd\":\"kill\",\"target\":\"retries\",\"filter\":{\"jids\":\"x\"}}",
        "MUTATE {\"cmd\":1}",
        "MUTATE {\"cmd\":\"explode\",\"target\":\"dead\"}",
        "MUTATE null",
        "QUEUE PAUSE",
        "QUEUE EXPLODE q",
        "FETCH",
        "NOPE",
        "\u00e9\u00e9",
    ];

    [Theory]
    [MemberData(nameof(BadCommands))]
    public async Task Command_BadInput_ClearErrAndTheConnectionGoesOn(string command)
    {
        var log = new CapturedLog();
        var (server, port) = await FaktoryServer.StartAsync(o => o.LoggerProvider = log);
        await using var _ = server;
        await using var client = await RawFaktoryClient.OpenAsync(port, "{\"wid\":\"w1\",\"v\":2}");

        var reply = await client.SendAsync(command);

        Assert.NotNull(reply);
        Assert.StartsWith("-ERR ", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", reply, StringComparison.Ordinal);
        Assert.Equal("+OK", await client.SendAsync("BEAT {\"wid\":\"w1\"}"));
        Assert.DoesNotContain(log.Lines, line => line.Level >= LogLevel.Error || line.Exception is not null);
    }

    /// <summary>
    /// Found by the fuzzer (bench/fuzz, target <c>faktory</c>): a custom value holding a byte that is not UTF-8 was read
    /// only when the job was mapped, and answered "internal error". Every JSON payload is checked as UTF-8 first.
    /// </summary>
    [Theory]
    [InlineData("PUSH {\"jid\":\"j1\",\"jobtype\":\"t\",\"custom\":{\"k\":\"\u0085\"}}")]
    [InlineData("PUSH {\"jid\":\"j1\",\"jobtype\":\"t\",\"args\":[\"\u0085\"]}")]
    [InlineData("PUSHB [{\"jobtype\":\"t\",\"custom\":{\"k\":[\"\u0085\"]}}]")]
    [InlineData("ACK {\"jid\":\"\u0085\"}")]
    public async Task Command_PayloadNotUtf8_ClearErrAndNothingStored(string command)
    {
        // U+0085 stands for the lone byte 0x85, which is not UTF-8 on its own.
        var bytes = command.Select(c => c == '\u0085' ? (byte)0x85 : (byte)c).ToArray();
        var log = new CapturedLog();
        var (server, port) = await FaktoryServer.StartAsync(o => o.LoggerProvider = log);
        await using var _ = server;
        await using var client = await RawFaktoryClient.OpenAsync(port, "{\"wid\":\"w1\",\"v\":2}");

        var reply = await client.SendAsync(bytes);

        Assert.NotNull(reply);
        Assert.StartsWith("-ERR ", reply, StringComparison.Ordinal);
        Assert.Contains("UTF-8", reply, StringComparison.Ordinal);
        Assert.Equal("+OK", await client.SendAsync("BEAT {\"wid\":\"w1\"}"));
        Assert.Null(await client.SendAsync("FETCH default"));
        Assert.DoesNotContain(log.Lines, line => line.Level >= LogLevel.Error || line.Exception is not null);
    }
}
