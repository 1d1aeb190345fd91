using Conveyor.Testing;

namespace Conveyor.Server.Tests.Faktory;

/// <summary>The unmodified npm <c>faktory-worker</c> client against a real server (tests/faktory-node/scenario.js).</summary>
public sealed class FaktoryNodeClientTests
{
    [Fact]
    public async Task Scenario_NodeFaktoryWorker_AllStepsPass()
    {
        var scripts = Path.Combine(RepositoryRoot.Path, "tests", "faktory-node");
        if (!Directory.Exists(Path.Combine(scripts, "node_modules", "faktory-worker")))
        {
            var (code, output) = await ChildProcess.RunAsync("npm", "install --no-audit --no-fund", scripts, TimeSpan.FromMinutes(3));
            Assert.True(code == 0, $"npm install failed:\n{output}");
        }

        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;

        var (exit, log) = await ChildProcess.RunAsync("node", "scenario.js", scripts, TimeSpan.FromSeconds(90), new Dictionary<string, string>
        {
            ["FAKTORY_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CONVEYOR_HTTP"] = server.Http.BaseAddress!.ToString(),
        });

        Assert.True(exit == 0, $"node scenario.js exited {exit}:\n{log}");
        Assert.Contains("ALL OK", log, StringComparison.Ordinal);
    }
}
