using System.Net;
using System.Text.Json;
using Conveyor.Contracts;
using Conveyor.Contracts.Workers;
using Conveyor.Server.Dashboard.History;
using Conveyor.Testing;

namespace Conveyor.Server.Tests.Dashboard.History;

/// <summary>
/// <c>GET /v1/dashboard/history</c> on a real server fed by real jobs, and the history surviving a restart on the same data
/// directory. Conveyor's meter is process-wide, so each test works in a queue of its own and reads that queue's series.
/// </summary>
public sealed class HistoryApiTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30); // folds happen every 5 s

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> HistoryAsync(RunningServer server, string query)
    {
        using var response = await server.Http.GetAsync($"v1/dashboard/history?{query}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }

    private static double Sum(JsonElement view, int index) => view.GetProperty("points").EnumerateArray().Sum(p => p[index].GetDouble());

    private static async Task<JsonElement> HistoryUntilAsync(RunningServer server, string query, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var view = await HistoryAsync(server, query);
            if (done(view) || DateTime.UtcNow > deadline)
            {
                return view;
            }

            await Task.Delay(250, Ct);
        }
    }

    /// <summary>Two jobs of <paramref name="queue"/> (type <c>mail</c>): one acknowledged, one failed.</summary>
    private static async Task CompleteOneFailOneAsync(RunningServer server, string queue)
    {
        await server.Api.EnqueueAsync("mail", queue);
        await server.Api.EnqueueAsync("mail", queue);
        var jobs = await server.Api.FetchAsync(queue, max: 2);
        Assert.Equal(2, jobs.Count);
        using var acked = await server.Api.AckAsync(jobs[0].Id, jobs[0].Lease!.Token);
        acked.EnsureSuccessStatusCode();
        using var failed = await server.Api.FailAsync(jobs[1].Id, new FailRequest { Token = jobs[1].Lease!.Token, ErrorType = "E", Message = "m" });
        failed.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task History_AfterJobsRan_CountsThemInTheQueuesSeriesForEveryRange()
    {
        await using var server = await RunningServer.StartAsync();
        var queue = "hist-" + Guid.NewGuid().ToString("N")[..8];

        await CompleteOneFailOneAsync(server, queue);
        var hour = await HistoryUntilAsync(server, $"range=1h&queue={queue}", v => Sum(v, 1) + Sum(v, 2) >= 2);

        Assert.Equal("1h", hour.GetProperty("range").GetString());
        Assert.Equal(60, hour.GetProperty("step_seconds").GetInt32());
        Assert.Equal(queue, hour.GetProperty("queue").GetString());
        Assert.True(hour.GetProperty("persisted").GetBoolean());
        Assert.Contains(queue, hour.GetProperty("queues").EnumerateArray().Select(q => q.GetString()));
        Assert.Equal(60, hour.GetProperty("points").GetArrayLength());
        Assert.Equal(1, Sum(hour, 1));
        Assert.Equal(1, Sum(hour, 2));
        Assert.Equal(2, Sum(hour, 3)); // both attempts ran
        foreach (var (range, points, step) in new[] { ("24h", 288, 300), ("7d", 336, 1800) })
        {
            var view = await HistoryAsync(server, $"range={range}&queue={queue}");
            Assert.Equal(points, view.GetProperty("points").GetArrayLength());
            Assert.Equal(step, view.GetProperty("step_seconds").GetInt32());
            Assert.Equal(1, Sum(view, 1));
            Assert.Equal(1, Sum(view, 2));
        }

        var all = await HistoryAsync(server, "range=1h");
        Assert.True(Sum(all, 1) >= 1);
        Assert.Contains("mail", all.GetProperty("types").EnumerateArray().Select(t => t.GetString()));
    }

    [Theory]
    [InlineData("range=2h", "range")]
    [InlineData("range=1h&queue=a&type=b", "type")]
    public async Task History_BadQuery_IsAValidationProblem(string query, string field)
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Http.GetAsync($"v1/dashboard/history?{query}", Ct);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal(field, problem.Field);
    }

    [Fact]
    public async Task History_AfterARestartOnTheSameDataDirectory_IsStillThere()
    {
        using var data = new TempDirectory("conveyor-history-restart");
        var queue = "restart-" + Guid.NewGuid().ToString("N")[..8];
        await using (var first = await RunningServer.StartAsync(o => o.DataDirectory = data.Path))
        {
            await CompleteOneFailOneAsync(first, queue);
            await first.StopAsync(); // folds and writes the file on the way out
        }

        Assert.True(File.Exists(Path.Combine(data.Path, HistoryFile.FileName)));
        await using var second = await RunningServer.StartAsync(o => o.DataDirectory = data.Path);

        var view = await HistoryAsync(second, $"range=24h&queue={queue}");

        Assert.Equal(1, Sum(view, 1));
        Assert.Equal(1, Sum(view, 2));
        Assert.Contains(queue, view.GetProperty("queues").EnumerateArray().Select(q => q.GetString()));
    }
}
