using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Conveyor.Dashboard.Tests;

/// <summary>The jobs list (filters, paging), a job's page (args, failures, retry, cancel) and bulk actions run on the server.</summary>
public sealed class JobsPageTests(Browser browser)
{
    [Fact]
    public async Task JobsList_TypeFilter_NarrowsTheList()
    {
        await using var server = await DashboardServer.StartOpenAsync();
        await server.EnqueueBatchAsync(Enumerable.Range(0, 6).Select(i => $$"""{"type":"{{(i % 3 == 0 ? "report.build" : "email.send")}}","queue":"q"}"""));
        await using var tab = await DashboardTab.OpenAsync(browser, server.Url, "#/jobs?state=available");
        await Expect(tab.Page.Locator("tbody tr")).ToHaveCountAsync(6);

        await tab.Page.GetByLabel("Type").FillAsync("report.build");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        await Expect(tab.Page.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(tab.Page.Locator("tbody tr").First).ToContainTextAsync("report.build");
        Assert.Contains("type=report.build", tab.Page.Url, StringComparison.Ordinal);
        await tab.AssertCleanAsync();
    }

    [Fact]
    public async Task JobsList_Paging_NextAndPreviousCoverEveryJobOnce()
    {
        await using var server = await DashboardServer.StartOpenAsync();
        await server.EnqueueBatchAsync(Enumerable.Range(0, 60).Select(i => $$"""{"id":"job-{{i:D2}}","type":"t","queue":"q"}"""));
        await using var tab = await DashboardTab.OpenAsync(browser, server.Url, "#/jobs?limit=25");
        var rows = tab.Page.Locator("tbody tr th a");
        var seen = new List<string>();

        await Expect(rows).ToHaveCountAsync(25);
        await Expect(rows.First).ToHaveTextAsync("job-59");
        seen.AddRange(await rows.AllTextContentsAsync());
        await tab.Page.Locator("[data-action=next]").ClickAsync();
        await Expect(rows.First).ToHaveTextAsync("job-34");
        seen.AddRange(await rows.AllTextContentsAsync());
        await tab.Page.Locator("[data-action=next]").ClickAsync();
        await Expect(rows).ToHaveCountAsync(10);
        seen.AddRange(await rows.AllTextContentsAsync());
        await Expect(tab.Page.Locator("[data-action=next]")).ToHaveCountAsync(0);
        await tab.Page.Locator("[data-action=previous]").ClickAsync();

        await Expect(rows.First).ToHaveTextAsync("job-34");
        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"job-{i:D2}").Reverse(), seen);
        await tab.AssertCleanAsync();
    }

    [Fact]
    public async Task JobPage_DeadJob_ShowsArgsAndFailures_RetriedThenCompletes()
    {
        await using var server = await DashboardServer.StartOpenAsync();
        var id = await server.EnqueueAsync("""{"type":"email.send","queue":"mail","max_attempts":1,"args":{"to":"a@b.c","n":[1,2]}}""");
        await server.FailAsync(await server.FetchAsync("mail"));
        await using var tab = await DashboardTab.OpenAsync(browser, server.Url, $"#/job/{id}");

        await Expect(tab.Page.Locator("#args")).ToContainTextAsync("\"to\": \"a@b.c\"");
        await Expect(tab.Page.Locator("#failures")).ToContainTextAsync("Timeout");
        await Expect(tab.Page.Locator("#failures")).ToContainTextAsync("the mail server did not answer");
        await Expect(tab.Page.Locator("#failures .backtrace")).ToContainTextAsync("at Mailer.Send() in Mailer.cs:line 42");
        await Expect(tab.Page.Locator("dl.fields .state").First).ToHaveTextAsync("dead");

        await tab.Page.Locator("[data-action=retry]").ClickAsync();
        await Expect(tab.Page.Locator("dl.fields .state").First).ToHaveTextAsync("available");
        var (leased, token) = Assert.Single(await server.FetchAsync("mail"));
        await server.AckAsync(leased, token);
        await tab.Page.ReloadAsync();

        await Expect(tab.Page.Locator("dl.fields .state").First).ToHaveTextAsync("completed");
        Assert.Equal("completed", await server.StateOfAsync(id));
        await tab.AssertCleanAsync();
    }

    [Fact]
    public async Task JobPage_LargeArgs_ShownOnRequest()
    {
        await using var server = await DashboardServer.StartOpenAsync();
        var big = new string('x', 50_000);
        var id = await server.EnqueueAsync($$$"""{"type":"t","queue":"q","args":{"blob":"{{{big}}}","tail":"END"}}""");
        await using var tab = await DashboardTab.OpenAsync(browser, server.Url, $"#/job/{id}");

        await Expect(tab.Page.Locator("#args")).Not.ToContainTextAsync("END");
        await tab.Page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Show all") }).ClickAsync();

        await Expect(tab.Page.Locator("#args")).ToContainTextAsync("\"tail\": \"END\"");
        await tab.AssertCleanAsync();
    }

    [Fact]
    public async Task JobPage_Cancel_JobCancelled()
    {
        await using var server = await DashboardServer.StartOpenAsync();
        var id = await server.EnqueueAsync("""{"type":"t","queue":"q","delay_ms":600000}""");
        await using var tab = await DashboardTab.OpenAsync(browser, server.Url, $"#/job/{id}");

        await tab.Page.Locator("[data-action=cancel]").ClickAsync();

        await Expect(tab.Page.Locator("dl.fields .state").First).ToHaveTextAsync("cancelled");
        Assert.Equal("cancelled", await server.StateOfAsync(id));
        await tab.AssertCleanAsync();
    }

    [Fact]
    public async Task JobsList_RetryAllMatching_10000DeadJobsRetriedOnTheServer()
    {
        await using var server = await DashboardServer.StartOpenAsync();
        await server.EnqueueBatchAsync(Enumerable.Range(0, 10_000).Select(_ => """{"type":"t","queue":"doomed","max_attempts":1}"""));
        for (var i = 0; i < 10; i++)
        {
            await server.FailAsync(await server.FetchAsync("doomed", 1000));
        }

        Assert.Equal(10_000, await server.CountAsync("dead"));
        await using var tab = await DashboardTab.OpenAsync(browser, server.Url, "#/jobs?state=dead");
        await Expect(tab.Page.Locator("tbody tr")).ToHaveCountAsync(50);

        await tab.Page.Locator("[data-action=all-retry]").ClickAsync();

        await Expect(tab.Page.Locator("[data-operation]")).ToHaveAttributeAsync("data-status", "done", new() { Timeout = 120_000 });
        await Expect(tab.Page.Locator("[data-operation]")).ToContainTextAsync("applied 10,000");
        await Expect(tab.Page.Locator("#no-jobs")).ToBeVisibleAsync();
        Assert.Equal(0, await server.CountAsync("dead"));
        Assert.Equal(10_000, await server.CountAsync("available"));
        await tab.AssertCleanAsync();
    }

    [Fact]
    public async Task JobsList_DeleteCheckedRows_OnlyThoseGo()
    {
        await using var server = await DashboardServer.StartOpenAsync();
        await server.EnqueueBatchAsync(Enumerable.Range(0, 4).Select(i => $$"""{"id":"row-{{i}}","type":"t","queue":"q"}"""));
        await using var tab = await DashboardTab.OpenAsync(browser, server.Url, "#/jobs?state=available");

        await tab.Page.GetByLabel("Check job row-1").CheckAsync();
        await tab.Page.GetByLabel("Check job row-2").CheckAsync();
        await tab.Page.Locator("[data-action=selected-delete]").ClickAsync();

        await Expect(tab.Page.Locator("[data-operation]")).ToHaveAttributeAsync("data-status", "done");
        await Expect(tab.Page.Locator("tbody tr")).ToHaveCountAsync(2);
        Assert.Equal(2, await server.CountAsync("available"));
        await tab.AssertCleanAsync();
    }
}
