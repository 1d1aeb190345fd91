using System.Globalization;
using Conveyor.Core.Security;
using Conveyor.Server.Tests.Faktory;
using Conveyor.Testing;

namespace Conveyor.Server.Tests.Security;

/// <summary>The unmodified npm <c>faktory-worker</c> client with an API key as its password (tests/faktory-node/key-hello.js).</summary>
public sealed class FaktoryNodeKeyTests
{
    [Theory]
    [InlineData(ApiScope.Produce | ApiScope.Work, true)]
    [InlineData(ApiScope.Read, false)]
    public async Task NodeClient_KeyAsPassword_ConnectsOnlyWithProduceAndWork(ApiScope scopes, bool connects)
    {
        var scripts = Path.Combine(RepositoryRoot.Path, "tests", "faktory-node");
        if (!Directory.Exists(Path.Combine(scripts, "node_modules", "faktory-worker")))
        {
            var (code, output) = await ChildProcess.RunAsync("npm", "install --no-audit --no-fund", scripts, TimeSpan.FromMinutes(3));
            Assert.True(code == 0, $"npm install failed:\n{output}");
        }

        string key = "";
        var port = FaktoryServer.FreePort();
        await using var server = await RunningServer.StartAsync(o =>
        {
            o.FaktoryPort = port;
            key = TestKeys.Add(o.DataDirectory, "worker", scopes);
        });

        var (exit, log) = await ChildProcess.RunAsync("node", "key-hello.js", scripts, TimeSpan.FromSeconds(60), new Dictionary<string, string>
        {
            ["FAKTORY_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["FAKTORY_PASSWORD"] = key,
        });

        Assert.True((exit == 0) == connects, $"node key-hello.js exited {exit}:\n{log}");
        Assert.Equal(connects, log.Contains("KEY OK", StringComparison.Ordinal));
    }
}
