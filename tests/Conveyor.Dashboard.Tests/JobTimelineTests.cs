using System.Net;
using static Microsoft.Playwright.Assertions;

namespace Conveyor.Dashboard.Tests;

/// <summary>A job's detail page tells its history: enqueued, each attempt that failed, the retries, progress, the ending.</summary>
public sealed class JobTimelineTests(Browser browser)
{
    [Fact]
    public async Task JobPage_FailedTwiceThenCompletedWithProgress_ShowsTheTimelineProgressAndResult()
    {
        await using var server = await DashboardServer.StartOpenAsync();
        var id = await server.EnqueueAsync("""{"type":"video.encode","queue":"timeline","max_attempts":5}""");
        await server.FailAsync(await server.FetchAsync("timeline"), "Timeout", "the encoder stalled");
        await server.CallAsync(HttpMethod.Post, $"v1/jobs/{id}/retry", "", HttpStatusCode.NoContent);
        await server.FailAsync(await server.FetchAsync("timeline"), "IOException", "disk full");
        await server.CallAsync(HttpMethod.Post, $"v1/jobs/{id}/retry", "", HttpStatusCode.NoContent);
        var (_, token) = Assert.Single(await server.FetchAsync("timeline"));
        await server.CallAsync(HttpMethod.Post, $"v1/jobs/{id}/progress", $$"""{"token":"{{token}}","percent":80,"message":"pass 2 of 2"}""", HttpStatusCode.NoContent);
        await server.CallAsync(HttpMethod.Post, $"v1/jobs/{id}/ack", $$$"""{"token":"{{{token}}}","result":{"bytes":1234}}""", HttpStatusCode.NoContent);

        await using var tab = await DashboardTab.OpenAsync(browser, server.Url, $"#/job/{id}");

        var events = tab.Page.Locator("#timeline li");
        await Expect(events).ToHaveCountAsync(7);
        Assert.Equal(["enqueued", "failed", "retry", "failed", "retry", "progress", "completed"], await events.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.kind)"));
        await Expect(events.Nth(0)).ToContainTextAsync("Enqueued on queue timeline");
        await Expect(events.Nth(1)).ToContainTextAsync("Attempt 1 failed (timed out)");
        await Expect(events.Nth(3)).ToContainTextAsync("Attempt 2 failed (IOException: disk full)");
        await Expect(events.Nth(5)).ToContainTextAsync("Progress 80%: pass 2 of 2");
        await Expect(events.Nth(6)).ToContainTextAsync("Attempt 3 completed");
        await Expect(tab.Page.Locator("#progress progress")).ToHaveAttributeAsync("value", "80");
        await Expect(tab.Page.Locator("#result")).ToContainTextAsync("\"bytes\": 1234");
        await tab.AssertCleanAsync();
    }

    [Fact]
    public async Task JobPage_ActiveThenRetrying_ShowsTheRunningAttemptThenTheScheduledRetry()
    {
        await using var server = await DashboardServer.StartOpenAsync();
        var id = await server.EnqueueAsync("""{"type":"sync","queue":"timeline-active","max_attempts":3}""");
        var leased = await server.FetchAsync("timeline-active");
        await using var tab = await DashboardTab.OpenAsync(browser, server.Url, $"#/job/{id}");

        await Expect(tab.Page.Locator("#timeline li[data-kind=leased]")).ToContainTextAsync("Attempt 1 running by worker w1");

        await server.FailAsync(leased, "HttpRequestException", "503");
        await tab.Page.ReloadAsync();
        await Expect(tab.Page.Locator("#timeline li").Last).ToContainTextAsync("Retry scheduled (attempt 2 of 3)");
        await Expect(tab.Page.Locator("#timeline li[data-kind=retry] time")).ToHaveCountAsync(1);
        await tab.AssertCleanAsync();
    }
}
