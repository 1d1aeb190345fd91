using System.Net;
using System.Text.Json;
using Conveyor.Contracts;
using Conveyor.Core.Storage;
using Conveyor.Server.Errors;
using Conveyor.Server.Hosting;

namespace Conveyor.Server.Tests;

public sealed class HostingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Probes_AfterRecovery_Answer200()
    {
        await using var server = await RunningServer.StartAsync();

        using var health = await server.Http.GetAsync("healthz", Ct);
        using var ready = await server.Http.GetAsync("readyz", Ct);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task GetHttpAddress_PortZero_IsALoopbackPortThatAnswers()
    {
        await using var server = await RunningServer.StartAsync();

        Assert.Equal("127.0.0.1", server.Http.BaseAddress!.Host);
        Assert.NotEqual(0, server.Http.BaseAddress.Port);
    }

    [Fact]
    public void Broker_BeforeRecovery_ThrowsNotReadyWhichIs503()
    {
        var runtime = new BrokerRuntime();

        var error = Assert.Throws<ServiceNotReadyException>(() => runtime.Broker);
        var problem = ProblemExceptionHandler.Describe(error);

        Assert.False(runtime.IsReady);
        Assert.Equal(503, problem.Status);
        Assert.Equal(ProblemTypes.NotReady, problem.Type);
    }

    [Fact]
    public void Describe_StorageUnavailable_Is503()
    {
        var problem = ProblemExceptionHandler.Describe(new StorageUnavailableException("disk full"));

        Assert.Equal(503, problem.Status);
        Assert.Equal(ProblemTypes.StorageUnavailable, problem.Type);
        Assert.Equal("disk full", problem.Detail);
    }

    [Fact]
    public void Describe_AnyOtherException_Is500WithoutItsMessage()
    {
        var problem = ProblemExceptionHandler.Describe(new InvalidOperationException("secret internals"));

        Assert.Equal(500, problem.Status);
        Assert.DoesNotContain("secret", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("bind")]
    [InlineData("port")]
    [InlineData("retention count")]
    [InlineData("retention window")]
    [InlineData("snapshot interval")]
    public void Build_UnusableOptions_ThrowsConfigurationError(string what)
    {
        var options = new ConveyorServerOptions();
        switch (what)
        {
            case "postgres": options.Store = StoreKind.Postgres; break;
            case "bind": options.BindAddress = "example.com"; break;
            case "retention count": options.Retention = RetentionPolicy.Default with { DeadCap = -1 }; break;
            case "retention window": options.Retention = RetentionPolicy.Default with { Completed = TimeSpan.FromSeconds(-1) }; break;
            case "snapshot interval": options.SnapshotAfterBytes = 0; break;
            default: options.HttpPort = 70_000; break;
        }

        Assert.Throws<ServerConfigurationException>(() => ConveyorServer.Build(options));
    }

    [Fact]
    public async Task UnknownRoute_Returns404Problem()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Http.GetAsync("v1/nothing-here", Ct);

        await ApiClient.ProblemAsync(response, HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task OpenApi_Document_DescribesEveryEndpoint()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Http.GetAsync("openapi/v1.json", Ct);
        await ApiClient.ExpectAsync(response, HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var paths = document.RootElement.GetProperty("paths");

        string[] expected =
        [
            "/v1/jobs", "/v1/jobs/batch", "/v1/jobs/{id}", "/v1/fetch", "/v1/jobs/{id}/ack", "/v1/jobs/{id}/fail", "/v1/settle",
            "/v1/jobs/{id}/heartbeat", "/v1/jobs/{id}/cancel", "/v1/jobs/{id}/retry", "/v1/queues", "/v1/queues/{queue}/pause",
            "/v1/queues/{queue}/resume", "/v1/queues/{queue}", "/v1/stats", "/healthz", "/readyz",
            "/v1/jobs/bulk", "/v1/operations/{id}", "/v1/dashboard/session", "/v1/dashboard/live",
            "/v1/cron", "/v1/cron/{name}", "/v1/cron/{name}/pause", "/v1/cron/{name}/resume",
        ];
        Assert.All(expected, path => Assert.True(paths.TryGetProperty(path, out _), $"missing {path}"));
        var enqueue = paths.GetProperty("/v1/jobs").GetProperty("post");
        Assert.True(enqueue.GetProperty("responses").TryGetProperty("201", out _));
        Assert.True(enqueue.GetProperty("responses").TryGetProperty("422", out _));
        Assert.True(enqueue.TryGetProperty("requestBody", out _));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("EnqueueRequest").GetProperty("properties").TryGetProperty("delay_ms", out _));
        // Settle reads its body by hand, so the document knows its shape only from the endpoint's Accepts/Produces.
        var settle = paths.GetProperty("/v1/settle").GetProperty("post");
        Assert.True(settle.TryGetProperty("requestBody", out _));
        Assert.True(settle.GetProperty("responses").TryGetProperty("200", out _));
        Assert.True(schemas.GetProperty("SettleFail").GetProperty("properties").TryGetProperty("retry_in_ms", out _));
    }

    [Fact]
    public async Task OpenApi_Document_NamesTheBearerSchemeAndEachOperationsScope()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Http.GetAsync("openapi/v1.json", Ct);
        await ApiClient.ExpectAsync(response, HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var root = document.RootElement;

        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var paths = root.GetProperty("paths");
        Assert.Equal(["produce"], Scopes(paths.GetProperty("/v1/jobs").GetProperty("post")));
        Assert.Equal(["read"], Scopes(paths.GetProperty("/v1/jobs/{id}").GetProperty("get")));
        Assert.Equal(["work"], Scopes(paths.GetProperty("/v1/fetch").GetProperty("post")));
        Assert.Equal(["admin"], Scopes(paths.GetProperty("/v1/jobs/{id}/cancel").GetProperty("post")));
        Assert.False(paths.GetProperty("/healthz").GetProperty("get").TryGetProperty("security", out _));
    }

    private static string[] Scopes(JsonElement operation) =>
        [.. operation.GetProperty("security").EnumerateArray().Single().GetProperty("bearer").EnumerateArray().Select(s => s.GetString()!)];
}
