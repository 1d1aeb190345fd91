using System.Net;
using System.Net.Http.Json;
using Conveyor.Core.Security;
using Conveyor.Server.Dashboard;
using Conveyor.Server.Tests.Security;

namespace Conveyor.Server.Tests.Dashboard;

/// <summary>The dashboard's session (what the calling key may do) and live series.</summary>
public sealed class DashboardSessionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Session_NoKeys_OpenAndMayAct()
    {
        await using var server = await RunningServer.StartAsync();

        var session = (await server.Http.GetFromJsonAsync("v1/dashboard/session", DashboardJsonContext.Default.SessionView, Ct))!;

        Assert.False(session.KeysRequired);
        Assert.True(session.CanAct);
    }

    [Fact]
    public async Task Session_ReadKey_NamesItAndMayNotAct()
    {
        var read = "";
        await using var server = await RunningServer.StartAsync(o => read = TestKeys.Add(o.DataDirectory, "viewer", ApiScope.Read));

        using var response = await server.Http.SendAsync(TestKeys.Request(HttpMethod.Get, "v1/dashboard/session", read), Ct);
        var session = (await response.Content.ReadFromJsonAsync(DashboardJsonContext.Default.SessionView, Ct))!;

        Assert.True(session.KeysRequired);
        Assert.Equal("viewer", session.KeyName);
        Assert.Equal(["read"], session.Scopes);
        Assert.False(session.CanAct);
    }

    [Fact]
    public async Task Session_AdminKey_MayAct()
    {
        var admin = "";
        await using var server = await RunningServer.StartAsync(o => admin = TestKeys.Add(o.DataDirectory, "ops", ApiScope.Admin));

        using var response = await server.Http.SendAsync(TestKeys.Request(HttpMethod.Get, "v1/dashboard/session", admin), Ct);
        var session = (await response.Content.ReadFromJsonAsync(DashboardJsonContext.Default.SessionView, Ct))!;

        Assert.True(session.CanAct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Live_JobsEnqueuedAndCompleted_ShowInTheNextPoints()
    {
        await using var server = await RunningServer.StartAsync();
        await server.Api.EnqueueAsync("t", "q");
        await server.Api.EnqueueAsync("t", "q");
        var job = await server.Api.FetchOneAsync("q");
        using var ack = await server.Api.AckAsync(job.Id, job.Lease!.Token);

        LiveView live;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(500, Ct);
            live = (await server.Http.GetFromJsonAsync("v1/dashboard/live", DashboardJsonContext.Default.LiveView, Ct))!;
        }
        while (live.Points.Sum(p => p[2]) < 1 && DateTime.UtcNow < deadline);

        Assert.Equal(2000, live.IntervalMs);
        // The job instruments are process-wide, and other tests' servers run in this process too: at least ours count.
        Assert.True(live.Points.Sum(p => p[1]) >= 2);
        Assert.True(live.Points.Sum(p => p[2]) >= 1);
        Assert.True(live.Points.Sum(p => p[4]) >= 1);
        var after = live.Points[^1][0];
        var none = (await server.Http.GetFromJsonAsync($"v1/dashboard/live?after={after}", DashboardJsonContext.Default.LiveView, Ct))!;
        Assert.All(none.Points, p => Assert.True(p[0] > after));
        Assert.True(live.Points.Zip(live.Points.Skip(1)).All(pair => pair.First[0] < pair.Second[0]), "points are oldest first");
    }
}
