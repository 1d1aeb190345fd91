using System.Globalization;
using System.Text.RegularExpressions;
using Conveyor.Server.Tests.Faktory;
using Conveyor.Testing;

namespace Conveyor.Server.Tests.Tls;

/// <summary>The unmodified npm <c>faktory-worker</c> client over TLS (tests/faktory-node/tls-push-fetch-ack.js).</summary>
public sealed partial class TlsFaktoryNodeTests
{
    [Fact]
    public async Task NodeClient_TcpTlsUrl_PushFetchAck()
    {
        var scripts = Path.Combine(RepositoryRoot.Path, "tests", "faktory-node");
        if (!Directory.Exists(Path.Combine(scripts, "node_modules", "faktory-worker")))
        {
            var (code, output) = await ChildProcess.RunAsync("npm", "install --no-audit --no-fund", scripts, TimeSpan.FromMinutes(3));
            Assert.True(code == 0, $"npm install failed:\n{output}");
        }

        await using var tls = await TlsServer.StartAsync();

        var (exit, log) = await ChildProcess.RunAsync("node", "tls-push-fetch-ack.js", scripts, TimeSpan.FromSeconds(60), new Dictionary<string, string>
        {
            ["FAKTORY_URL"] = $"tcp+tls://127.0.0.1:{tls.FaktoryPort.ToString(CultureInfo.InvariantCulture)}",
            ["NODE_EXTRA_CA_CERTS"] = tls.Authority.CaPath,
        });

        Assert.True(exit == 0, $"node tls-push-fetch-ack.js exited {exit}:\n{log}");
        var jid = TlsOk().Match(log);
        Assert.True(jid.Success, log);
        var job = await tls.Https.GetStringAsync($"v1/jobs/{jid.Groups[1].Value}", TestContext.Current.CancellationToken);
        Assert.Contains("\"state\":\"completed\"", job, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"TLS OK (\S+)")]
    private static partial Regex TlsOk();
}
