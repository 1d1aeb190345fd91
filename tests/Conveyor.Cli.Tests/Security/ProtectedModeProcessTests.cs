using System.Diagnostics;
using System.Net;
using Conveyor.Cli.Tests.Commands;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Cli.Tests.Security;

/// <summary>
/// Protected mode with the real binary: 127.0.0.2 is loopback to the kernel but not one of the default
/// loopback addresses, so it stands in for an exposed address.
/// </summary>
public sealed class ProtectedModeProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_ExposedWithoutKeys_ExitsNonZeroWithOneMessageSayingHowToCreateAKey()
    {
        using var data = new TempDirectory("conveyor-protected");

        var (exitCode, output, error) = await CliRunner.RunAsync(
            Timeout, "serve", "--data", data.Path, "--bind", "127.0.0.2", "--http-port", "0", "--faktory-port", "0", "--grpc-port", "0");

        Assert.NotEqual(0, exitCode);
        Assert.Empty(output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"conveyor keys create --scope admin --name ops --data {data.Path}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_ExposedWithKey_ServesAndNeedsTheKey()
    {
        using var data = new TempDirectory("conveyor-protected");
        var key = (await CliRunner.RunAsync(Timeout, "keys", "create", "--scope", "read", "--name", "viewer", "--data", data.Path)).Output.Trim();

        using var server = await ConveyorProcess.StartReadyAsync(data.Path, "--bind", "127.0.0.2");
        using var http = new HttpClient { BaseAddress = server.Address };
        using var without = await http.GetAsync("v1/stats", Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/stats") { Headers = { Authorization = new("Bearer", key) } };
        using var with = await http.SendAsync(request, Ct);

        Assert.Equal("127.0.0.2", server.Address.Host);
        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }

    [Fact]
    public async Task Serve_ExposedInsecure_ServesWithoutKeyAndWarns()
    {
        using var data = new TempDirectory("conveyor-protected");

        using var server = await ConveyorProcess.StartReadyAsync(data.Path, "--bind", "127.0.0.2", "--insecure");
        using var http = new HttpClient { BaseAddress = server.Address };
        using var response = await http.GetAsync("v1/stats", Ct);
        var warned = Stopwatch.StartNew();
        while (!server.Output.Contains("--insecure: serving on 127.0.0.2", StringComparison.Ordinal) && warned.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(50, Ct); // the console logger writes on its own thread
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("--insecure: serving on 127.0.0.2", server.Output, StringComparison.Ordinal);
    }
}
