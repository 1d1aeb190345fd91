using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Cli.Tests.Commands;

/// <summary><c>serve</c>'s <c>--faktory-*</c> limit flags reach the real listener, and impossible values are refused at start.</summary>
public sealed class ServeFaktoryLimitTests
{
    [Fact]
    public async Task Serve_FaktoryMaxConnectionsOne_SecondConnectionRefused()
    {
        using var data = new TempDirectory("conveyor-faktory-cap");
        var port = FreePort();
        using var server = await ConveyorProcess.StartReadyAsync(
            data.Path, "--faktory-port", port.ToString(CultureInfo.InvariantCulture), "--faktory-max-connections", "1");
        using var first = new TcpClient();
        await first.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
        using var firstReader = new StreamReader(first.GetStream(), Encoding.UTF8);
        Assert.StartsWith("+HI", await firstReader.ReadLineAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        using var second = new TcpClient();
        await second.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
        using var secondReader = new StreamReader(second.GetStream(), Encoding.UTF8);

        Assert.Equal("-ERR too many connections: 2", await secondReader.ReadLineAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("--faktory-max-connections", "0")]
    [InlineData("--faktory-idle-timeout-seconds", "0")]
    [InlineData("--faktory-max-line-mib", "0")]
    public async Task Serve_FaktoryLimitImpossible_RefusedWithTheLimits(string flag, string value)
    {
        using var data = new TempDirectory("conveyor-faktory-limits");

        var serve = await CliRunner.RunAsync(
            TimeSpan.FromSeconds(60), ["serve", "--data", data.Path, "--bind", "127.0.0.1", "--http-port", "0", "--faktory-port", "0", "--grpc-port", "0", flag, value]);

        Assert.Equal(1, serve.ExitCode);
        Assert.Contains("the Faktory connection cap and timeouts must be positive", serve.Error, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
