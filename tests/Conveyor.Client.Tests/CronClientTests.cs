using System.Net;
using Conveyor.Client.Testing;
using Conveyor.Contracts;
using Conveyor.Contracts.Cron;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;

namespace Conveyor.Client.Tests;

/// <summary>Schedules through the SDK: a real server, and the fake client.</summary>
public sealed class CronClientTests
{
    private static readonly CronScheduleRequest Hourly = new()
    {
        Expression = "0 * * * *",
        TimeZone = "America/New_York",
        Missed = "skip",
        Job = new EnqueueRequest { Type = "report.build", Queue = "reports", Args = RawJson.FromString("""{"kind":"hourly"}""") },
    };

    [Fact]
    public async Task Schedules_SetGetListPauseResumeDelete_RoundTrip()
    {
        await using var server = await TestServer.StartAsync();
        var client = server.Client;

        var set = await client.SetScheduleAsync("hourly", Hourly);
        Assert.Equal(("hourly", "America/New_York", "skip"), (set.Name, set.TimeZone, set.Missed));
        Assert.Equal(0, Assert.Single(set.Next).Minute);

        var read = await client.GetScheduleAsync("hourly", next: 3);
        Assert.NotNull(read);
        Assert.Equal(3, read.Next.Count);
        Assert.Equal("""{"kind":"hourly"}""", read.Job.Args.ToString());
        Assert.Equal(["hourly"], (await client.ListSchedulesAsync()).Select(s => s.Name));

        Assert.True((await client.PauseScheduleAsync("hourly")).Paused);
        Assert.False((await client.ResumeScheduleAsync("hourly")).Paused);
        await client.DeleteScheduleAsync("hourly");
        Assert.Null(await client.GetScheduleAsync("hourly"));
        var error = await Assert.ThrowsAsync<ConveyorApiException>(() => client.DeleteScheduleAsync("hourly"));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task SetScheduleAsync_BadExpression_ThrowsWithTheField()
    {
        await using var server = await TestServer.StartAsync();

        var error = await Assert.ThrowsAsync<ConveyorApiException>(() => server.Client.SetScheduleAsync("bad", Hourly with { Expression = "every hour" }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.StatusCode);
        Assert.Equal(ProblemTypes.Validation, error.Problem?.Type);
        Assert.Equal("expression", error.Problem?.Field);
    }

    [Fact]
    public async Task FakeClient_Schedules_HeldInMemory()
    {
        IConveyorClient conveyor = new FakeConveyorClient();

        await conveyor.SetScheduleAsync("hourly", Hourly);
        await conveyor.PauseScheduleAsync("hourly");

        var held = Assert.Single(await conveyor.ListSchedulesAsync());
        Assert.True(held.Paused);
        Assert.Equal("report.build", held.Job.Type);
        await conveyor.DeleteScheduleAsync("hourly");
        Assert.Null(await conveyor.GetScheduleAsync("hourly"));
        var error = await Assert.ThrowsAsync<ConveyorApiException>(() => conveyor.ResumeScheduleAsync("hourly"));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }
}
