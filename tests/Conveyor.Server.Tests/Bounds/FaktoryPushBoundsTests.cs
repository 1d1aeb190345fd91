using Conveyor.Core.Inputs;
using Conveyor.Server.Tests.Faktory;

namespace Conveyor.Server.Tests.Bounds;

/// <summary>Faktory <c>PUSH</c> goes through the same limits and name rules as the HTTP API.</summary>
public sealed class FaktoryPushBoundsTests
{
    public static TheoryData<string, string> RefusedJobs() => new()
    {
        { $$"""{"jid":"j1","jobtype":"{{new string('t', InputLimits.TypeLength + 1)}}","args":[]}""", "type: must be at most 256 characters" },
        { """{"jid":"j1","jobtype":"t","args":[],"queue":"a\u202Eb"}""", "queue: must not contain invisible formatting characters" },
        { """{"jid":"j1","jobtype":"t","args":[],"custom":{"trace\u200Bid":"x"}}""", "meta: key" },
        { $$"""{"jid":"{{new string('j', InputLimits.IdLength + 1)}}","jobtype":"t","args":[]}""", "id: must be at most 64 characters" },
    };

    [Theory]
    [MemberData(nameof(RefusedJobs))]
    public async Task Push_JobOverALimitOrWithAnUnprintableName_ErrNamingTheField(string job, string expected)
    {
        var port = FaktoryServer.FreePort();
        await using var server = await RunningServer.StartAsync(o => o.FaktoryPort = port);
        await using var client = await RawFaktoryClient.OpenAsync(port);

        var reply = await client.SendAsync("PUSH " + job);

        Assert.StartsWith("-ERR " + expected, reply, StringComparison.Ordinal);
        Assert.Equal(0, (await server.Api.StatsAsync()).Counts["available"]);
    }

    [Fact]
    public async Task Push_FieldsAtTheirLimits_Ok()
    {
        var port = FaktoryServer.FreePort();
        await using var server = await RunningServer.StartAsync(o => o.FaktoryPort = port);
        await using var client = await RawFaktoryClient.OpenAsync(port);
        var job = $$"""{"jid":"{{new string('j', InputLimits.IdLength)}}","jobtype":"{{new string('t', InputLimits.TypeLength)}}","args":[],"queue":"{{new string('q', InputLimits.QueueLength)}}"}""";

        Assert.Equal("+OK", await client.SendAsync("PUSH " + job));

        Assert.Equal(1, (await server.Api.StatsAsync()).Counts["available"]);
    }
}
