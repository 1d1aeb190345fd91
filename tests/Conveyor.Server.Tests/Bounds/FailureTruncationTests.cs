using System.Net;
using System.Text.Json.Nodes;
using Conveyor.Contracts.Workers;
using Conveyor.Core.Inputs;
using Conveyor.Server.Tests.Faktory;

namespace Conveyor.Server.Tests.Bounds;

/// <summary>A failure's text over its limits is cut with a marker, and the fail is accepted: over HTTP and over Faktory FAIL.</summary>
public sealed class FailureTruncationTests
{
    private static readonly string LongMessage = new('m', InputLimits.MessageLength + 12345);

    private static readonly string[] LongBacktrace = [.. Enumerable.Range(0, InputLimits.BacktraceLines + 50).Select(i => $"at Frame{i}()")];

    [Fact]
    public async Task Fail_TextOverEveryLimit_AcceptedAndCutWithMarkers()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q");
        var job = await server.Api.FetchOneAsync("q");

        using var response = await server.Api.FailAsync(id, new FailRequest
        {
            Token = job.Lease!.Token,
            ErrorType = new string('E', InputLimits.ErrorTypeLength + 1),
            Message = LongMessage,
            Backtrace = [new string('b', InputLimits.BacktraceLineLength + 10), .. LongBacktrace],
        });

        await ApiClient.ExpectAsync(response, HttpStatusCode.NoContent);
        var failure = Assert.Single((await server.Api.GetAsync(id)).Failures);
        Assert.Equal(new string('E', InputLimits.ErrorTypeLength) + "… [truncated 1 chars]", failure.ErrorType);
        Assert.Equal(new string('m', InputLimits.MessageLength) + "… [truncated 12345 chars]", failure.Message);
        Assert.Equal(InputLimits.BacktraceLines + 1, failure.Backtrace.Count);
        Assert.Equal(new string('b', InputLimits.BacktraceLineLength) + "… [truncated 10 chars]", failure.Backtrace[0]);
        Assert.Equal("… [truncated 51 lines]", failure.Backtrace[^1]);
    }

    [Fact]
    public async Task Settle_FailWithLongMessage_AcceptedAndCut()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q");
        var job = await server.Api.FetchOneAsync("q");
        var body = new JsonObject
        {
            ["fail"] = new JsonArray(new JsonObject { ["id"] = id, ["token"] = job.Lease!.Token, ["message"] = LongMessage }),
        }.ToJsonString();

        using var response = await server.Api.PostRawAsync("v1/settle", body);

        await ApiClient.ExpectAsync(response, HttpStatusCode.OK);
        Assert.EndsWith("… [truncated 12345 chars]", Assert.Single((await server.Api.GetAsync(id)).Failures).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FaktoryFail_TextOverEveryLimit_OkAndCutWithMarkers()
    {
        var port = FaktoryServer.FreePort();
        await using var server = await RunningServer.StartAsync(o => o.FaktoryPort = port);
        await using var client = await RawFaktoryClient.OpenAsync(port, """{"hostname":"test","v":2,"wid":"w1"}""");
        Assert.Equal("+OK", await client.SendAsync("""PUSH {"jid":"j1","jobtype":"t","args":[],"queue":"q"}"""));
        Assert.NotNull(await client.SendAsync("FETCH q"));
        var fail = new JsonObject
        {
            ["jid"] = "j1",
            ["errtype"] = new string('E', InputLimits.ErrorTypeLength + 1),
            ["message"] = LongMessage,
            ["backtrace"] = new JsonArray([.. LongBacktrace.Select(line => (JsonNode)line)]),
        }.ToJsonString();

        Assert.Equal("+OK", await client.SendAsync("FAIL " + fail));

        var failure = Assert.Single((await server.Api.GetAsync("j1")).Failures);
        Assert.EndsWith("… [truncated 1 chars]", failure.ErrorType, StringComparison.Ordinal);
        Assert.Equal(new string('m', InputLimits.MessageLength) + "… [truncated 12345 chars]", failure.Message);
        Assert.Equal("… [truncated 50 lines]", failure.Backtrace[^1]);
    }
}
