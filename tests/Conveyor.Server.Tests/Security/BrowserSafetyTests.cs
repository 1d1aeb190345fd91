using System.Net;
using System.Text;
using Conveyor.Contracts;
using Conveyor.Server.Security;

namespace Conveyor.Server.Tests.Security;

/// <summary>No DNS rebinding, no cross-site state changes, strict headers on every answer.</summary>
public sealed class BrowserSafetyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GET", "v1/stats")]
    [InlineData("POST", "v1/jobs")]
    public async Task ForeignHost_AnyCall_421AndNothingChanged(string method, string path)
    {
        await using var server = await RunningServer.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Host = "rebound.example:7420";
        if (method == "POST")
        {
            request.Content = new StringContent("""{"type":"t","queue":"q"}""", Encoding.UTF8, "application/json");
        }

        using var response = await server.Http.SendAsync(request, Ct);

        await ApiClient.ProblemAsync(response, HttpStatusCode.MisdirectedRequest, ProblemTypes.MisdirectedRequest);
        Assert.Empty(await server.Api.QueuesAsync());
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("ops.internal")]
    public async Task KnownHost_Stats_Answers(string host)
    {
        await using var server = await RunningServer.StartAsync(o => o.AllowedHosts = ["ops.internal"]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/stats");
        request.Headers.Host = host;

        using var response = await server.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task Enqueue_NotJson_415AndNothingChanged(string contentType)
    {
        await using var server = await RunningServer.StartAsync();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"type":"t","queue":"q"}"""));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await server.Http.PostAsync("v1/jobs", content, Ct);

        await ApiClient.ProblemAsync(response, HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType);
        Assert.Empty(await server.Api.QueuesAsync());
    }

    [Fact]
    public async Task Pause_NoBodyNoContentTypeNoAuthorization_415AndNotPaused()
    {
        await using var server = await RunningServer.StartAsync();
        await server.Api.EnqueueAsync("t", "q");

        using var response = await server.Http.PostAsync("v1/queues/q/pause", content: null, Ct);

        await ApiClient.ProblemAsync(response, HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType);
        Assert.False(Assert.Single(await server.Api.QueuesAsync()).Paused);
    }

    [Fact]
    public async Task Pause_NoBodyWithJsonContentType_Paused()
    {
        await using var server = await RunningServer.StartAsync();
        await server.Api.EnqueueAsync("t", "q");

        using var response = await server.Api.PostAsync("v1/queues/q/pause");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(Assert.Single(await server.Api.QueuesAsync()).Paused);
    }

    [Theory]
    [InlineData("GET", "healthz")]
    [InlineData("GET", "v1/stats")]
    [InlineData("GET", "v1/jobs/nope")]
    [InlineData("GET", "no/such/route")]
    [InlineData("POST", "v1/fetch")]
    public async Task Answers_OkOrError_CarryCspAndNosniff(string method, string path)
    {
        await using var server = await RunningServer.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("{not json", Encoding.UTF8, "application/json");
        }

        using var response = await server.Http.SendAsync(request, Ct);

        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, string.Join(", ", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", string.Join(", ", response.Headers.GetValues("X-Content-Type-Options")));
    }
}
