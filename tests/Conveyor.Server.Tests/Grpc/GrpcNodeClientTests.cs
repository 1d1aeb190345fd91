using System.Globalization;
using Conveyor.Server.Tests.Faktory;
using Conveyor.Testing;

namespace Conveyor.Server.Tests.Grpc;

/// <summary>The unmodified npm <c>@grpc/grpc-js</c> client against a real server (tests/grpc-node/scenario.js): unary calls and the Work stream.</summary>
public sealed class GrpcNodeClientTests
{
    [Fact]
    public async Task Scenario_GrpcJs_AllStepsPass()
    {
        var scripts = Path.Combine(RepositoryRoot.Path, "tests", "grpc-node");
        if (!Directory.Exists(Path.Combine(scripts, "node_modules", "@grpc", "grpc-js")))
        {
            var (code, output) = await ChildProcess.RunAsync("npm", "ci --no-audit --no-fund", scripts, TimeSpan.FromMinutes(3));
            Assert.True(code == 0, $"npm ci failed:\n{output}");
        }

        await using var grpc = await GrpcTestServer.StartAsync();

        var (exit, log) = await ChildProcess.RunAsync("node", "scenario.js", scripts, TimeSpan.FromSeconds(90), new Dictionary<string, string>
        {
            ["GRPC_ADDRESS"] = "127.0.0.1:" + grpc.Port.ToString(CultureInfo.InvariantCulture),
            ["PROTO_ROOT"] = Path.Combine(RepositoryRoot.Path, "proto"),
        });

        Assert.True(exit == 0, $"node scenario.js exited {exit}:\n{log}");
        Assert.Contains("ALL OK", log, StringComparison.Ordinal);
    }
}
