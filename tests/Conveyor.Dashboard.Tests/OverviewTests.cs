using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Conveyor.Dashboard.Tests;

/// <summary>The overview: counts per state, the queues table, and the live chart moving while jobs flow.</summary>
public sealed class OverviewTests(Browser browser)
{
    [Fact]
    public async Task Overview_JobsInStates_ShowsCountsAndQueues()
    {
        await using var server = await DashboardServer.StartOpenAsync();
        for (var i = 0; i < 3; i++)
        {
            await server.EnqueueAsync("""{"type":"email.send","queue":"mail"}""");
        }

        await server.EnqueueAsync("""{"type":"report","queue":"reports","delay_ms":3600000}""");
        await using var tab = await DashboardTab.OpenAsync(browser, server.Url);

        await Expect(tab.Page.Locator("#count-available .n")).ToHaveTextAsync("3");
        await Expect(tab.Page.Locator("#count-scheduled .n")).ToHaveTextAsync("1");
        await Expect(tab.Page.GetByRole(AriaRole.Row, new() { Name = "mail" })).ToContainTextAsync("3");
        await Expect(tab.Page.Locator("h1")).ToHaveTextAsync("Overview");
        await tab.AssertCleanAsync();
    }

    [Fact]
    public async Task Overview_JobsFlowing_ThroughputChartMoves()
    {
        await using var server = await DashboardServer.StartOpenAsync();
        await using var tab = await DashboardTab.OpenAsync(browser, server.Url);
        await Expect(tab.Page.Locator("#throughput polyline[data-series=completed]")).ToHaveCountAsync(1);
        var before = await tab.Page.Locator("#throughput polyline[data-series=completed]").GetAttributeAsync("points");

        using var flowing = new CancellationTokenSource();
        var flow = Task.Run(async () =>
        {
            while (!flowing.IsCancellationRequested)
            {
                await server.EnqueueAsync("""{"type":"t","queue":"flow"}""");
                foreach (var (id, token) in await server.FetchAsync("flow"))
                {
                    await server.AckAsync(id, token);
                }

                await Task.Delay(20);
            }
        });
        try
        {
            await tab.Page.WaitForFunctionAsync(
                """() => { const el = document.querySelector('#throughput [data-latest]'); const m = el && /completed ([\d.]+)/.exec(el.dataset.latest); return m && parseFloat(m[1]) > 0; }""",
                null, new() { Timeout = 60_000 });
        }
        finally
        {
            await flowing.CancelAsync();
            await flow;
        }

        var after = await tab.Page.Locator("#throughput polyline[data-series=completed]").GetAttributeAsync("points");
        Assert.NotEqual(before, after);
        await tab.AssertCleanAsync();
    }

    [Fact]
    public async Task Overview_DarkScheme_RendersDark()
    {
        await using var server = await DashboardServer.StartOpenAsync();
        await using var tab = await DashboardTab.OpenAsync(browser, server.Url, scheme: ColorScheme.Dark);
        await Expect(tab.Page.Locator("#count-available")).ToBeVisibleAsync();

        var background = await tab.Page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        var text = await tab.Page.EvaluateAsync<string>("() => getComputedStyle(document.body).color");

        Assert.Equal("rgb(13, 17, 23)", background);
        Assert.Equal("rgb(230, 237, 243)", text);
        await tab.AssertCleanAsync();
    }

    [Fact]
    public async Task EveryPage_PhoneAndDesktop_RendersWithoutErrors()
    {
        await using var server = await DashboardServer.StartOpenAsync();
        var id = await server.EnqueueAsync("""{"type":"t","queue":"q","args":{"n":1}}""");
        foreach (var (width, height) in new[] { (1280, 720), (390, 844) })
        {
            await using var tab = await DashboardTab.OpenAsync(browser, server.Url, width: width, height: height);
            foreach (var (hash, heading) in new[] { ("#/", "Overview"), ("#/queues", "Queues"), ("#/jobs", "Jobs"), ($"#/job/{id}", $"Job {id}"), ("#/workers", "Workers") })
            {
                await tab.GoAsync(hash);
                await Expect(tab.Page.Locator("h1")).ToHaveTextAsync(heading);
            }

            var overflow = await tab.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
            Assert.False(overflow, $"the page scrolls sideways at {width}px");
            await tab.AssertCleanAsync();
        }
    }
}
