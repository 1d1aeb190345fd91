using System.Net;
using Conveyor.Server.Dashboard;

namespace Conveyor.Server.Tests.Dashboard;

/// <summary>The dashboard's files: served from the assembly with a strict CSP, nosniff and strong ETags; data answers are not cached.</summary>
public sealed class DashboardAssetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("", "text/html")]
    [InlineData("assets/app.js", "text/javascript")]
    [InlineData("assets/app.css", "text/css")]
    [InlineData("assets/icon.svg", "image/svg+xml")]
    public async Task Asset_Get_200WithCspNosniffAndStrongETag(string path, string mediaType)
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Http.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(DashboardAssets.ContentSecurityPolicy, string.Join(' ', response.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("script-src 'self'", DashboardAssets.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", DashboardAssets.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join(' ', response.Headers.GetValues("X-Content-Type-Options")));
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag.IsWeak);
    }

    [Fact]
    public async Task Asset_IfNoneMatchWithItsETag_304WithoutABody()
    {
        await using var server = await RunningServer.StartAsync();
        using var first = await server.Http.GetAsync("assets/app.js", Ct);

        using var request = new HttpRequestMessage(HttpMethod.Get, "assets/app.js");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await server.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
    }

    [Fact]
    public async Task Asset_Unknown_404()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Http.GetAsync("assets/nope.js", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Index_ReferencesOnlyItsOwnFiles_NoInlineScriptOrStyle()
    {
        await using var server = await RunningServer.StartAsync();

        var html = await server.Http.GetStringAsync("", Ct);

        Assert.Contains("""<script type="module" src="/assets/app.js"></script>""", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataAnswer_NoStore_ApiKeepsItsOwnCsp()
    {
        await using var server = await RunningServer.StartAsync();

        using var stats = await server.Http.GetAsync("v1/stats", Ct);

        Assert.Equal("no-store", stats.Headers.CacheControl?.ToString());
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", string.Join(' ', stats.Headers.GetValues("Content-Security-Policy")));
    }
}
