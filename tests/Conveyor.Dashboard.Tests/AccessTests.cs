using System.Net;
using Conveyor.Core.Security;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Conveyor.Dashboard.Tests;

/// <summary>With API keys: the login, a read key that sees no action and whose forged action is refused, an admin key that acts.</summary>
public sealed class AccessTests(Browser browser)
{
    [Fact]
    public async Task Login_WrongKeyThenReadKey_SeesDataButNoActionButtons()
    {
        var (server, keys) = await DashboardServer.StartAsync(("ops", ApiScope.Admin), ("viewer", ApiScope.Read));
        await using var _ = server;
        var id = await server.EnqueueAsync("""{"type":"t","queue":"q","max_attempts":1}""");
        await server.FailAsync(await server.FetchAsync("q"));
        await using var tab = await DashboardTab.OpenAsync(browser, server.Url);

        await tab.Page.GetByLabel("API key").FillAsync("cvk_not-a-key");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not accepted");
        await tab.Page.GetByLabel("API key").FillAsync(keys["viewer"]);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(tab.Page.Locator("#count-dead .n")).ToHaveTextAsync("1");
        await Expect(tab.Page.Locator("#who")).ToContainTextAsync("read-only");
        await tab.GoAsync($"#/job/{id}");
        await Expect(tab.Page.Locator("#failures")).ToContainTextAsync("Timeout");
        await Expect(tab.Page.Locator("main button")).ToHaveCountAsync(0);
        await tab.GoAsync("#/jobs?state=dead");
        await Expect(tab.Page.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(tab.Page.Locator("main input[type=checkbox], [data-action^=all-], [data-action^=selected-]")).ToHaveCountAsync(0);
        await tab.GoAsync("#/queues");
        await Expect(tab.Page.Locator("tr[data-queue=q]")).ToBeVisibleAsync();
        await Expect(tab.Page.Locator("main button")).ToHaveCountAsync(0);

        // The page's own key, used by hand as a forged request would: the server refuses it.
        var status = await tab.Page.EvaluateAsync<int>(
            """async id => (await fetch(`/v1/jobs/${id}/retry`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${sessionStorage.getItem('conveyor.key')}` } })).status""",
            id);
        Assert.Equal(403, status);
        Assert.Equal("dead", await server.StateOfAsync(id));
        await tab.AssertCleanAsync(401, 403);
    }

    [Fact]
    public async Task CrossSitePost_WithoutKeyOrJson_RefusedAndNothingChanges()
    {
        var (server, _) = await DashboardServer.StartAsync(("ops", ApiScope.Admin));
        await using var __ = server;
        var id = await server.EnqueueAsync("""{"type":"t","queue":"q","max_attempts":1}""");
        await server.FailAsync(await server.FetchAsync("q"));
        using var anonymous = new HttpClient { BaseAddress = server.Url };

        // What a form on another site can send: a simple POST, no Authorization, no JSON content type, no cookie to ride on.
        using var form = await anonymous.PostAsync($"v1/jobs/{id}/retry", new FormUrlEncodedContent([]), TestContext.Current.CancellationToken);
        using var bulk = await anonymous.PostAsync("v1/jobs/bulk", new StringContent("""{"action":"retry","filter":{"state":"dead"}}""", System.Text.Encoding.UTF8, "text/plain"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, bulk.StatusCode);
        Assert.Equal("dead", await server.StateOfAsync(id));
    }

    [Fact]
    public async Task AdminKey_RetriesFromTheJobPage_AndSignOutForgetsTheKey()
    {
        var (server, keys) = await DashboardServer.StartAsync(("ops", ApiScope.Admin));
        await using var _ = server;
        var id = await server.EnqueueAsync("""{"type":"t","queue":"q","max_attempts":1}""");
        await server.FailAsync(await server.FetchAsync("q"));
        await using var tab = await DashboardTab.OpenAsync(browser, server.Url, $"#/job/{id}");

        await tab.Page.GetByLabel("API key").FillAsync(keys["ops"]);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await tab.Page.Locator("[data-action=retry]").ClickAsync();
        await Expect(tab.Page.Locator("dl.fields .state").First).ToHaveTextAsync("available");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(tab.Page.GetByLabel("API key")).ToBeVisibleAsync();
        Assert.Null(await tab.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('conveyor.key')"));
        Assert.Equal("available", await server.StateOfAsync(id));
        await tab.AssertCleanAsync(401);
    }
}
