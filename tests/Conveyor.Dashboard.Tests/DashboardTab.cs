using Microsoft.Playwright;

namespace Conveyor.Dashboard.Tests;

/// <summary>
/// A browser tab on the dashboard: a fresh context (no storage shared between tests), confirmation dialogs
/// accepted, and every console error, uncaught page error and CSP violation recorded for <see cref="AssertCleanAsync"/>.
/// </summary>
internal sealed class DashboardTab : IAsyncDisposable
{
    private readonly IBrowserContext context;
    private readonly List<string> problems = [];

    private DashboardTab(IBrowserContext context, IPage page)
    {
        this.context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                lock (problems)
                {
                    problems.Add($"console {message.Type}: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (problems)
            {
                problems.Add($"page error: {error}");
            }
        };
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
    }

    public IPage Page { get; }

    public static async Task<DashboardTab> OpenAsync(Browser browser, Uri server, string hash = "#/", ColorScheme scheme = ColorScheme.Light, int width = 1280, int height = 720)
    {
        var context = await browser.Instance.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.ToString(),
            ColorScheme = scheme,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(30_000);
        await context.AddInitScriptAsync("""
            window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
            """);
        var page = await context.NewPageAsync();
        var tab = new DashboardTab(context, page);
        await page.GotoAsync("/" + hash);
        return tab;
    }

    /// <summary>Goes to another page of the dashboard (a hash route).</summary>
    public Task GoAsync(string hash) => Page.EvaluateAsync($"() => {{ location.hash = '{hash}'; }}");

    /// <summary>
    /// No console error or warning, no uncaught error, no CSP violation so far. <paramref name="expectedStatuses"/> are
    /// HTTP statuses the test provoked on purpose (Chromium logs each refused call as a console error).
    /// </summary>
    public async Task AssertCleanAsync(params int[] expectedStatuses)
    {
        var violations = await Page.EvaluateAsync<string[]>("() => window.__cspViolations");
        lock (problems)
        {
            Assert.DoesNotContain(problems, p => !expectedStatuses.Any(s => p.Contains($"status of {s}", StringComparison.Ordinal)));
        }

        Assert.Empty(violations);
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
