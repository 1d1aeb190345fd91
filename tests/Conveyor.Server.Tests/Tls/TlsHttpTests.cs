using System.Net;
using Conveyor.Client;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Server.Tests.Faktory;
using Microsoft.Extensions.DependencyInjection;

namespace Conveyor.Server.Tests.Tls;

/// <summary>HTTPS on the HTTP port, driven by curl and the .NET SDK over real sockets.</summary>
public sealed class TlsHttpTests
{
    private static readonly TimeSpan CurlTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Curl_HealthzAndEnqueue_AnsweredOverHttps()
    {
        await using var tls = await TlsServer.StartAsync();
        Assert.Equal("https", tls.Address.Scheme);

        var (healthCode, health) = await CurlAsync(tls, $"-sS --fail-with-body {tls.Address}healthz");
        Assert.True(healthCode == 0, $"curl /healthz exited {healthCode}:\n{health}");

        var (enqueueCode, enqueued) = await CurlAsync(
            tls, $"-sS --fail-with-body -H \"Content-Type: application/json\" -d \"{{\\\"type\\\":\\\"Email\\\",\\\"args\\\":[1]}}\" {tls.Address}v1/jobs");
        Assert.True(enqueueCode == 0, $"curl POST /v1/jobs exited {enqueueCode}:\n{enqueued}");
        var id = System.Text.Json.JsonDocument.Parse(enqueued).RootElement.GetProperty("id").GetString()!;

        var job = await tls.Https.GetAsync($"v1/jobs/{id}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, job.StatusCode);
    }

    [Fact]
    public async Task Curl_Http2AndHttp11_BothNegotiatedByAlpn()
    {
        await using var tls = await TlsServer.StartAsync();

        var (code2, version2) = await CurlAsync(tls, $"-sS -o /dev/null -w %{{http_version}} --http2 {tls.Address}healthz");
        var (code11, version11) = await CurlAsync(tls, $"-sS -o /dev/null -w %{{http_version}} --http1.1 {tls.Address}healthz");

        Assert.True(code2 == 0 && code11 == 0, $"curl exited {code2}/{code11}: {version2} {version11}");
        Assert.Equal("2", version2.Trim());
        Assert.Equal("1.1", version11.Trim());
    }

    [Fact]
    public async Task Curl_WithoutTheCa_RefusesTheCertificate()
    {
        await using var tls = await TlsServer.StartAsync();

        var (code, output) = await ChildProcess.RunAsync("curl", $"-sS {tls.Address}healthz", Path.GetTempPath(), CurlTimeout);

        Assert.Equal(60, code); // curl: peer certificate cannot be authenticated with known CA certificates
        Assert.Contains("certificate", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Sdk_HttpClientTrustingTheCa_EnqueuesAndReads()
    {
        await using var tls = await TlsServer.StartAsync();
        using var http = new HttpClient(tls.Authority.CreateHandler());
        var client = new ConveyorClient(http, new ConveyorClientOptions { ServerUrl = tls.Address });

        var id = await client.EnqueueRawAsync(new EnqueueRequest { Type = "Email", Args = RawJson.FromString("[1]") }, TestContext.Current.CancellationToken);
        var job = await client.GetAsync(id, TestContext.Current.CancellationToken);

        Assert.NotNull(job);
        Assert.Equal("Email", job.Type);
    }

    [Fact]
    public async Task Sdk_AddConveyorClientWithItsHandlerTrustingTheCa_Enqueues()
    {
        await using var tls = await TlsServer.StartAsync();
        var services = new ServiceCollection();
        services.AddConveyorClient(o => o.ServerUrl = tls.Address);
        services.AddHttpClient(ConveyorServiceCollectionExtensions.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler((handler, _) => ((SocketsHttpHandler)handler).SslOptions.CertificateChainPolicy = tls.Authority.CreateChainPolicy());
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<ConveyorClient>();

        var id = await client.EnqueueRawAsync(new EnqueueRequest { Type = "Email", Args = RawJson.FromString("[2]") }, TestContext.Current.CancellationToken);

        Assert.NotNull(await client.GetAsync(id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Sdk_DefaultTrust_RefusesTheTestCertificate()
    {
        await using var tls = await TlsServer.StartAsync();
        using var http = new HttpClient();
        var client = new ConveyorClient(http, new ConveyorClientOptions { ServerUrl = tls.Address });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStatsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpRequestError.SecureConnectionError, error.HttpRequestError);
    }

    private static Task<(int ExitCode, string Output)> CurlAsync(TlsServer tls, string arguments) =>
        ChildProcess.RunAsync("curl", $"--cacert {tls.Authority.CaPath} {arguments}", Path.GetTempPath(), CurlTimeout);
}
