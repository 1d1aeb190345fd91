using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Conveyor.Dashboard.Tests;

/// <summary>The metrics history page: charts from the server's ring (a seeded week, then real jobs), the range switch, the pickers, dark mode.</summary>
public sealed class HistoryPageTests(Browser browser)
{
    private static async Task<int> PointCountAsync(IPage page, string selector) =>
        await page.Locator(selector).EvaluateAsync<int>("el => el.getAttribute('points').trim().split(' ').filter(Boolean).length");

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task History_SeededWeek_DrawsChartsAndSwitchesRangeAndQueue(ColorScheme scheme)
    {
        await using var server = await DashboardServer.StartOpenAsync(HistorySeed.Write);
        await using var tab = await DashboardTab.OpenAsync(browser, server.Url, "#/history", scheme);

        await Expect(tab.Page.Locator("main h1")).ToHaveTextAsync("Metrics history");
        await Expect(tab.Page.Locator("nav a[data-page=history]")).ToHaveAttributeAsync("aria-current", "page");
        await Expect(tab.Page.Locator("#history-throughput polyline[data-series=completed]")).ToHaveCountAsync(1);
        Assert.Equal(60, await PointCountAsync(tab.Page, "#history-throughput polyline[data-series=completed]"));
        Assert.True(await PointCountAsync(tab.Page, "#history-runtime polyline[data-series=p95]") > 50);
        await Expect(tab.Page.Locator("#history-totals")).ToContainTextAsync("all jobs, last 1 hour");

        await tab.Page.Locator("a[data-range='7d']").ClickAsync();
        await Expect(tab.Page.Locator("a[data-range='7d']")).ToHaveAttributeAsync("aria-current", "page");
        await Expect(tab.Page.Locator("#history-totals")).ToContainTextAsync("last 7 days");
        Assert.Equal(336, await PointCountAsync(tab.Page, "#history-throughput polyline[data-series=completed]"));

        await tab.Page.Locator("#history-queue").SelectOptionAsync("reports");
        await Expect(tab.Page.Locator("#history-totals")).ToContainTextAsync("queue reports, last 7 days");
        Assert.Contains("queue=reports", tab.Page.Url, StringComparison.Ordinal);
        await Expect(tab.Page.Locator("#history-type")).ToHaveValueAsync("");

        await tab.Page.Locator("#history-type").SelectOptionAsync("email.send");
        await Expect(tab.Page.Locator("#history-totals")).ToContainTextAsync("type email.send");
        await Expect(tab.Page.Locator("#history-queue")).ToHaveValueAsync("");
        if (scheme == ColorScheme.Dark)
        {
            var background = await tab.Page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
            Assert.Equal("rgb(13, 17, 23)", background);
        }

        await tab.AssertCleanAsync();
    }

    [Fact]
    public async Task History_JobsRun_ShowUpInTheirQueuesHour()
    {
        await using var server = await DashboardServer.StartOpenAsync();
        await server.EnqueueBatchAsync(Enumerable.Range(0, 6).Select(_ => """{"type":"thumb","queue":"history-images"}"""));
        var leased = await server.FetchAsync("history-images", 6);
        foreach (var (id, token) in leased.Take(4))
        {
            await server.AckAsync(id, token);
        }

        await server.FailAsync(leased.Skip(4));
        await using var tab = await DashboardTab.OpenAsync(browser, server.Url, "#/history?range=1h&queue=history-images");

        // The server folds the meters into the ring every 5 s and the page polls every 15 s.
        await Expect(tab.Page.Locator("#history-totals")).ToContainTextAsync("4 completed · 2 failed", new() { Timeout = 60_000 });
        await Expect(tab.Page.Locator("#history-totals")).ToContainTextAsync("33.3% of settled attempts failed");
        await tab.AssertCleanAsync();
    }
}
