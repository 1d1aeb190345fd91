using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Conveyor.Dashboard.Tests;

/// <summary>
/// Every page renders to an image in light and dark. With <c>CONVEYOR_DASHBOARD_SCREENSHOTS=DIR</c> the images are also
/// written there (how docs/images is made: see docs/dashboard.md).
/// </summary>
public sealed class ScreenshotTests(Browser browser)
{
    [Fact]
    public async Task EveryPage_LightAndDark_RendersAnImage()
    {
        await using var server = await DashboardServer.StartOpenAsync(HistorySeed.Write);
        await server.EnqueueBatchAsync(Enumerable.Range(0, 40).Select(i => $$"""{"type":"{{(i % 2 == 0 ? "email.send" : "report.build")}}","queue":"{{(i % 3 == 0 ? "mail" : "reports")}}","tags":["demo"],"args":{"n":{{i}} } }"""));
        await server.EnqueueAsync("""{"type":"invoice.render","queue":"billing","delay_ms":3600000}""");
        var dead = await server.EnqueueAsync("""{"type":"email.send","queue":"mail","max_attempts":1,"args":{"to":"a@example.com","template":"welcome"}}""");
        await server.FailAsync(await server.FetchAsync("mail", 20)); // the dead one (1 attempt) and the retrying ones
        foreach (var (id, token) in await server.FetchAsync("reports", 10))
        {
            await server.AckAsync(id, token);
        }

        var outDir = Environment.GetEnvironmentVariable("CONVEYOR_DASHBOARD_SCREENSHOTS");
        var pages = new[] { ("overview", "#/"), ("queues", "#/queues"), ("jobs", "#/jobs?state=retrying"), ("job", $"#/job/{dead}"), ("workers", "#/workers"), ("history", "#/history?range=24h") };
        foreach (var (scheme, suffix) in new[] { (ColorScheme.Light, "light"), (ColorScheme.Dark, "dark") })
        {
            await using var tab = await DashboardTab.OpenAsync(browser, server.Url, scheme: scheme);
            foreach (var (name, hash) in pages)
            {
                await tab.GoAsync(hash);
                await Expect(tab.Page.Locator("main h1")).ToBeVisibleAsync();
                await Expect(tab.Page.Locator("main table, main dl, main p.muted, main figure.chart").First).ToBeVisibleAsync();
                var png = await tab.Page.ScreenshotAsync(new() { FullPage = true });

                Assert.True(png.Length > 2000, $"{name} {suffix}: {png.Length} bytes");
                Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
                if (!string.IsNullOrEmpty(outDir))
                {
                    Directory.CreateDirectory(outDir);
                    await File.WriteAllBytesAsync(Path.Combine(outDir, $"dashboard-{name}-{suffix}.png"), png, TestContext.Current.CancellationToken);
                }
            }

            await tab.AssertCleanAsync();
        }
    }
}
