using System.Net;
using System.Net.Http.Json;
using System.Text;
using Conveyor.Contracts;
using Conveyor.Contracts.Cron;
using Conveyor.Contracts.Json;
using Conveyor.Testing;

namespace Conveyor.Server.Tests.Cron;

/// <summary>Schedules over HTTP: <c>/v1/cron</c>, and a real server firing a per-second schedule.</summary>
public sealed class CronApiTests
{
    private const string Nightly = """{"expression":"0 3 * * *","time_zone":"Europe/Berlin","job":{"type":"report.build","queue":"reports","args":{"a":1},"priority":7}}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Put_ValidSchedule_200AndReadBackWithNextTimes()
    {
        await using var server = await RunningServer.StartAsync();

        var put = await PutAsync(server, "nightly", Nightly);
        Assert.Equal("nightly", put.Name);
        Assert.Equal("Europe/Berlin", put.TimeZone);
        Assert.Equal("fire_once", put.Missed);
        Assert.Equal("report.build", put.Job.Type);
        Assert.Equal("reports", put.Job.Queue);
        Assert.Equal(7, put.Job.Priority);
        Assert.Equal("""{"a":1}""", put.Job.Args.ToString());
        Assert.Null(put.LastTick);
        Assert.Single(put.Next);

        var get = await GetAsync(server, "v1/cron/nightly?next=5");
        Assert.Equal(5, get.Next.Count);
        Assert.Equal(get.Next.Order(), get.Next);
        Assert.All(get.Next, t => Assert.Equal(3, TimeZoneInfo.ConvertTime(t, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).Hour));

        var list = await server.Http.GetFromJsonAsync("v1/cron", ConveyorJsonContext.Default.CronListResponse, Ct);
        Assert.Equal("nightly", Assert.Single(list!.Schedules).Name);
    }

    [Theory]
    [InlineData("""{"expression":"61 * * * *","job":{"type":"t"}}""", "expression")]
    [InlineData("""{"expression":"* * *","job":{"type":"t"}}""", "expression")]
    [InlineData("""{"expression":"0 3 * * *","time_zone":"Mars/Olympus","job":{"type":"t"}}""", "time_zone")]
    [InlineData("""{"expression":"0 3 * * *","missed":"sometimes","job":{"type":"t"}}""", "missed")]
    [InlineData("""{"expression":"0 3 * * *"}""", "job")]
    [InlineData("""{"expression":"0 3 * * *","job":{"type":"t","id":"fixed"}}""", "job.id")]
    [InlineData("""{"expression":"0 3 * * *","job":{"type":"t","priority":12}}""", "job.priority")]
    [InlineData("""{"expression":"0 3 * * *","job":{"type":"t","backoff":"linear"}}""", "job.backoff")]
    [InlineData("""{"name":"other","expression":"0 3 * * *","job":{"type":"t"}}""", "name")]
    public async Task Put_InvalidField_422NamingIt(string body, string field)
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Http.PutAsync("v1/cron/s", Json(body), Ct);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal(field, problem.Field);
        Assert.Empty((await server.Http.GetFromJsonAsync("v1/cron", ConveyorJsonContext.Default.CronListResponse, Ct))!.Schedules);
    }

    [Fact]
    public async Task UnknownSchedule_GetDeletePauseResume_404()
    {
        await using var server = await RunningServer.StartAsync();

        using var get = await server.Http.GetAsync("v1/cron/nope", Ct);
        using var delete = await server.Api.DeleteAsync("v1/cron/nope");
        using var pause = await server.Api.PostAsync("v1/cron/nope/pause");
        using var resume = await server.Api.PostAsync("v1/cron/nope/resume");

        foreach (var response in new[] { get, delete, pause, resume })
        {
            var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.NotFound, ProblemTypes.NotFound);
            Assert.Equal("no schedule named 'nope'", problem.Detail);
        }
    }

    [Fact]
    public async Task PauseResumeDelete_Schedule_ViewFollows()
    {
        await using var server = await RunningServer.StartAsync();
        await PutAsync(server, "nightly", Nightly);

        using var pause = await server.Api.PostAsync("v1/cron/nightly/pause");
        var paused = (await pause.Content.ReadFromJsonAsync(ConveyorJsonContext.Default.CronScheduleView, Ct))!;
        Assert.True(paused.Paused);
        Assert.Empty(paused.Next);

        using var resume = await server.Api.PostAsync("v1/cron/nightly/resume");
        var resumed = (await resume.Content.ReadFromJsonAsync(ConveyorJsonContext.Default.CronScheduleView, Ct))!;
        Assert.False(resumed.Paused);
        Assert.Single(resumed.Next);

        using var delete = await server.Api.DeleteAsync("v1/cron/nightly");
        await ApiClient.ExpectAsync(delete, HttpStatusCode.NoContent);
        using var gone = await server.Http.GetAsync("v1/cron/nightly", Ct);
        await ApiClient.ExpectAsync(gone, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Get_NextOutOfRange_422()
    {
        await using var server = await RunningServer.StartAsync();
        await PutAsync(server, "nightly", Nightly);

        using var response = await server.Http.GetAsync("v1/cron/nightly?next=101", Ct);

        Assert.Equal("next", (await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation)).Field);
    }

    [Fact]
    public async Task Fire_EverySecondSchedule_EnqueuesOneJobPerTick()
    {
        await using var server = await RunningServer.StartAsync();
        await PutAsync(server, "every-second", """{"expression":"* * * * * *","job":{"type":"tick","queue":"ticks"}}""");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<string?> keys = [];
        while (keys.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Ct);
            keys = [.. (await server.Api.ListAsync("?queue=ticks&limit=1000")).Jobs.Select(j => j.UniqueKey)];
        }

        Assert.True(keys.Count >= 2, $"{keys.Count} jobs after 30 s");
        Assert.All(keys, k => Assert.StartsWith("cron:every-second:", k, StringComparison.Ordinal));
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.NotNull((await GetAsync(server, "v1/cron/every-second")).LastTick);
    }

    [Fact]
    public async Task CronFile_AtStart_SchedulesCreated()
    {
        using var directory = new TempDirectory("conveyor-cron-file");
        var path = Path.Combine(directory.Path, "cron.json");
        await File.WriteAllTextAsync(path, $$"""{"schedules":[{"name":"nightly",{{Nightly[1..]}}]}""", Ct);
        await using var server = await RunningServer.StartAsync(o => o.CronFile = path);

        var view = await GetAsync(server, "v1/cron/nightly");

        Assert.Equal("report.build", view.Job.Type);
    }

    [Theory]
    [InlineData("""{"schedules":[{"name":"bad","expression":"0 3 * *","job":{"type":"t"}}]}""", "schedule 'bad': expression")]
    [InlineData("""{"schedules":[{"name":"tz","expression":"0 3 * * *","time_zone":"Nowhere/City","job":{"type":"t"}}]}""", "schedule 'tz': time_zone")]
    [InlineData("""{"schedules":[{"expression":"0 3 * * *","job":{"type":"t"}}]}""", "schedule 0: name is required")]
    [InlineData("""{"schedules":[{"name":"j","expression":"0 3 * * *","job":{"type":""}}]}""", "schedule 'j': job.type")]
    [InlineData("""{"schedules":""", "is not a valid cron file")]
    public void CronFile_Invalid_RefusesStartNamingScheduleAndField(string json, string expected)
    {
        using var directory = new TempDirectory("conveyor-cron-file");
        var path = Path.Combine(directory.Path, "cron.json");
        File.WriteAllText(path, json);

        var error = Assert.Throws<ServerConfigurationException>(() => ConveyorServer.Build(new ConveyorServerOptions
        {
            DataDirectory = directory.Path,
            HttpPort = 0,
            CronFile = path,
        }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<CronScheduleView> PutAsync(RunningServer server, string name, string body)
    {
        using var response = await server.Http.PutAsync("v1/cron/" + name, Json(body), Ct);
        await ApiClient.ExpectAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync(ConveyorJsonContext.Default.CronScheduleView, Ct))!;
    }

    private static async Task<CronScheduleView> GetAsync(RunningServer server, string path) =>
        (await server.Http.GetFromJsonAsync(path, ConveyorJsonContext.Default.CronScheduleView, Ct))!;
}
