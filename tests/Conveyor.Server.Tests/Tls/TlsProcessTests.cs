using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Conveyor.Server.Tests.Faktory;
using Conveyor.Testing;

namespace Conveyor.Server.Tests.Tls;

/// <summary>The real <c>conveyor</c> binary with <c>--tls-cert/--tls-key</c>: its remote verbs, plaintext clients, and refusals.</summary>
public sealed class TlsProcessTests
{
    private static readonly string Conveyor = Path.Combine(AppContext.BaseDirectory, "conveyor");

    [Fact]
    public async Task Cli_RemoteVerbsWithCaCert_WorkOverHttps()
    {
        using var files = new TempDirectory("conveyor-tls");
        var authority = TestCertificateAuthority.Create(files.Path);
        using var handler = authority.CreateHandler();
        using var server = await ConveyorProcess.StartReadyAsync(
            Path.Combine(files.Path, "data"), handler, "--tls-cert", authority.CertificatePath, "--tls-key", authority.KeyPath);
        Assert.Equal("https", server.Address.Scheme);

        var (enqueueCode, enqueued) = await RunCliAsync($"enqueue Email --args [7] --server {server.Address} --ca-cert {authority.CaPath}");
        var (statsCode, stats) = await RunCliAsync($"stats --server {server.Address} --ca-cert {authority.CaPath}");
        var (untrustedCode, untrusted) = await RunCliAsync($"stats --server {server.Address}");

        Assert.True(enqueueCode == 0, enqueued);
        Assert.True(statsCode == 0, stats);
        Assert.True(untrustedCode == 2, $"without --ca-cert: exit {untrustedCode}\n{untrusted}");
        Assert.Contains("cannot reach the server", untrusted, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plaintext_ToBothTlsPorts_ClosedWithoutAnswerAndServerKeepsServing()
    {
        using var files = new TempDirectory("conveyor-tls");
        var authority = TestCertificateAuthority.Create(files.Path);
        using var handler = authority.CreateHandler();
        var faktoryPort = FaktoryServer.FreePort();
        using var server = await ConveyorProcess.StartReadyAsync(
            Path.Combine(files.Path, "data"), handler,
            "--tls-cert", authority.CertificatePath, "--tls-key", authority.KeyPath, "--faktory-port", faktoryPort.ToString(CultureInfo.InvariantCulture));

        var http = await PlaintextExchangeAsync(server.Address.Port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        var faktory = await PlaintextExchangeAsync(faktoryPort, "HELLO {\"hostname\":\"h\",\"v\":2}\r\n");

        Assert.DoesNotContain("HTTP/1.1 200", http, StringComparison.Ordinal);
        Assert.DoesNotContain("+HI", faktory, StringComparison.Ordinal);
        Assert.DoesNotContain("+OK", faktory, StringComparison.Ordinal);

        using var https = new HttpClient(handler, disposeHandler: false);
        Assert.Equal("ok", await https.GetStringAsync(new Uri(server.Address, "healthz"), TestContext.Current.CancellationToken));
        Assert.StartsWith("+HI ", await TlsFaktoryGreetingAsync(faktoryPort, authority), StringComparison.Ordinal);
        Assert.Equal(0, await server.TerminateAsync());
        Assert.DoesNotContain("fail:", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("crit:", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", server.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--tls-cert")]
    [InlineData("--tls-key")]
    public async Task Serve_OnlyOneOfCertAndKey_RefusesToStart(string given)
    {
        using var files = new TempDirectory("conveyor-tls");
        var authority = TestCertificateAuthority.Create(files.Path);
        var path = given == "--tls-cert" ? authority.CertificatePath : authority.KeyPath;

        var (code, output) = await RunCliAsync($"serve --data {files.Path}/data --http-port 0 --faktory-port 0 --grpc-port 0 {given} {path}");

        Assert.Equal(1, code);
        Assert.Contains("--tls-cert and --tls-key must be given together", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_KeyNotMatchingCertificate_RefusesToStartWithoutStackTrace()
    {
        using var files = new TempDirectory("conveyor-tls");
        var authority = TestCertificateAuthority.Create(files.Path);
        var other = TestCertificateAuthority.Create(Directory.CreateDirectory(Path.Combine(files.Path, "other")).FullName);

        var (code, output) = await RunCliAsync(
            $"serve --data {files.Path}/data --http-port 0 --faktory-port 0 --grpc-port 0 --tls-cert {authority.CertificatePath} --tls-key {other.KeyPath}");

        Assert.Equal(1, code);
        Assert.Contains($"cannot load the TLS certificate '{authority.CertificatePath}'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", output, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output)> RunCliAsync(string arguments) =>
        ChildProcess.RunAsync(Conveyor, arguments, Path.GetTempPath(), TimeSpan.FromSeconds(60));

    /// <summary>Sends <paramref name="text"/> in the clear and reads whatever comes back until the server closes (at most 30 s).</summary>
    private static async Task<string> PlaintextExchangeAsync(int port, string text)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // Reset by the server: closed, which is the point.
        }

        Assert.False(timeout.IsCancellationRequested, "the server kept a plaintext connection open for 30 s");
        return Encoding.Latin1.GetString(received.ToArray());
    }

    private static async Task<string> TlsFaktoryGreetingAsync(int port, TestCertificateAuthority authority)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions { TargetHost = "127.0.0.1", CertificateChainPolicy = authority.CreateChainPolicy() },
            TestContext.Current.CancellationToken);
        using var reader = new StreamReader(tls);
        return await reader.ReadLineAsync(TestContext.Current.CancellationToken) ?? "";
    }
}
