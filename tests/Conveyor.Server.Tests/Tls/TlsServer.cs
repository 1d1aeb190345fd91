using Conveyor.Server.Tests.Faktory;
using Conveyor.Testing;

namespace Conveyor.Server.Tests.Tls;

/// <summary>An in-process server with HTTPS on its HTTP port and TLS on a Faktory port, signed by a throw-away CA.</summary>
internal sealed class TlsServer : IAsyncDisposable
{
    private readonly TempDirectory certificates;

    private TlsServer(TempDirectory certificates, TestCertificateAuthority authority, RunningServer server, int faktoryPort)
    {
        this.certificates = certificates;
        Authority = authority;
        Server = server;
        FaktoryPort = faktoryPort;
        Https = new HttpClient(authority.CreateHandler()) { BaseAddress = server.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public TestCertificateAuthority Authority { get; }

    public RunningServer Server { get; }

    public int FaktoryPort { get; }

    /// <summary>The https:// base address, e.g. https://127.0.0.1:40123/.</summary>
    public Uri Address => Server.Http.BaseAddress!;

    /// <summary>A client that trusts the test CA.</summary>
    public HttpClient Https { get; }

    public static async Task<TlsServer> StartAsync(Action<ConveyorServerOptions>? configure = null)
    {
        var certificates = new TempDirectory("conveyor-tls");
        var authority = TestCertificateAuthority.Create(certificates.Path);
        var port = FaktoryServer.FreePort();
        var server = await RunningServer.StartAsync(o =>
        {
            o.TlsCertificatePath = authority.CertificatePath;
            o.TlsKeyPath = authority.KeyPath;
            o.FaktoryPort = port;
            configure?.Invoke(o);
        });
        return new TlsServer(certificates, authority, server, port);
    }

    public async ValueTask DisposeAsync()
    {
        Https.Dispose();
        await Server.DisposeAsync();
        certificates.Dispose();
    }
}
