using System.Net;
using System.Net.Sockets;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Cli.Tests.Commands;

/// <summary><c>conveyor serve</c> refusing to start: a busy port names itself and its flag; a PostgreSQL store without its connection string is refused.</summary>
public sealed class ServeStartTests
{
    [Fact]
    public async Task Serve_FaktoryPortBusy_NamesThePortAndTheFlag()
    {
        using var data = new TempDirectory("conveyor-busy");
        var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            var port = ((IPEndPoint)busy.LocalEndpoint).Port;

            var serve = await ServeAsync(data.Path, "--http-port", "0", "--faktory-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

            Assert.Equal(1, serve.ExitCode);
            Assert.Contains($"port {port} (Faktory) is in use; pass --faktory-port 0 to turn Faktory off or choose another port", serve.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", serve.Error, StringComparison.Ordinal);
        }
        finally
        {
            busy.Stop();
        }
    }

    [Fact]
    public async Task Serve_GrpcPortBusy_NamesThePortAndTheFlag()
    {
        using var data = new TempDirectory("conveyor-busy");
        var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            var port = ((IPEndPoint)busy.LocalEndpoint).Port;

            var serve = await ServeAsync(data.Path, "--http-port", "0", "--faktory-port", "0", "--grpc-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

            Assert.Equal(1, serve.ExitCode);
            Assert.Contains($"port {port} (gRPC) is in use; pass --grpc-port 0 to turn gRPC off or choose another port", serve.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", serve.Error, StringComparison.Ordinal);
        }
        finally
        {
            busy.Stop();
        }
    }

    [Fact]
    public async Task Serve_HttpPortBusy_NamesThePortAndTheFlag()
    {
        using var data = new TempDirectory("conveyor-busy");
        var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            var port = ((IPEndPoint)busy.LocalEndpoint).Port;

            var serve = await ServeAsync(data.Path, "--http-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--faktory-port", "0");

            Assert.Equal(1, serve.ExitCode);
            Assert.Contains($"port {port} (HTTP) is in use; pass --http-port", serve.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", serve.Error, StringComparison.Ordinal);
        }
        finally
        {
            busy.Stop();
        }
    }

    [Fact]
    public async Task Serve_StorePostgresWithoutConnectionString_RefusedBeforeListening()
    {
        using var data = new TempDirectory("conveyor-store");

        var serve = await ServeAsync(data.Path, "--store", "postgres", "--http-port", "0", "--faktory-port", "0");

        Assert.Equal(1, serve.ExitCode);
        var line = Assert.Single(serve.Error.Trim().Split('\n'));
        Assert.Equal("conveyor serve: --store postgres needs a connection string: --postgres \"Host=...;Database=...\" (or CONVEYOR_POSTGRES)", line);
        Assert.Empty(serve.Output);
    }

    [Fact]
    public async Task Serve_PostgresSchemaNotAPlainName_RefusedBeforeListening()
    {
        using var data = new TempDirectory("conveyor-store");

        var serve = await ServeAsync(
            data.Path, "--store", "postgres", "--postgres", "Host=127.0.0.1", "--postgres-schema", "Jobs; DROP", "--http-port", "0", "--faktory-port", "0");

        Assert.Equal(1, serve.ExitCode);
        var line = Assert.Single(serve.Error.Trim().Split('\n'));
        Assert.Equal(
            "conveyor serve: --postgres-schema must be lower-case letters, digits and underscores (not first), at most 50 characters, not 'Jobs; DROP'", line);
        Assert.Empty(serve.Output);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("enqueue")]
    [InlineData("jobs list")]
    public async Task Help_EachDefault_ShownOnce(string command)
    {
        var help = await CliRunner.RunAsync(TimeSpan.FromSeconds(60), [.. command.Split(' '), "--help"]);

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("[default: ", help.Output, StringComparison.Ordinal);
        Assert.All(help.Output.Split('\n'), line =>
        {
            // System.CommandLine's own [default: X] is the only one: descriptions no longer repeat it.
            Assert.True(line.Split("[default: ").Length <= 2, $"a default shown twice: {line}");
            Assert.DoesNotContain("(default", line, StringComparison.Ordinal);
            Assert.DoesNotContain("; default ", line, StringComparison.Ordinal);
        });
    }

    private static Task<(int ExitCode, string Output, string Error)> ServeAsync(string data, params string[] arguments) =>
        CliRunner.RunAsync(TimeSpan.FromSeconds(60), ["serve", "--data", data, "--bind", "127.0.0.1", .. (arguments.Contains("--grpc-port") ? [] : (string[])["--grpc-port", "0"]), .. arguments]);
}
