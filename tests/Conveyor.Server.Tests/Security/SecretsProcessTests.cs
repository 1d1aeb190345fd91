using System.Globalization;
using System.Net;
using System.Text.Json;
using Conveyor.Core.Security;
using Conveyor.Protocol.Faktory;
using Conveyor.Server.Tests.Faktory;
using Conveyor.Testing;

namespace Conveyor.Server.Tests.Security;

/// <summary>
/// Secrets stay out of the real server's output and command line: the Faktory password comes from a file, and
/// neither it nor an API key (right or wrong) is ever logged.
/// </summary>
public sealed class SecretsProcessTests
{
    [Fact]
    public async Task Serve_WrongAndRightPasswordsAndKeys_NoneOfThemInTheLogOrCommandLine()
    {
        using var data = new TempDirectory("conveyor-secrets");
        var key = TestKeys.Add(data.Path, "ops", ApiScope.Admin);
        var wrongKey = ApiKeySecret.NewKey();
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var wrongPassword = "pw-" + Guid.NewGuid().ToString("N");
        var passwordFile = Path.Combine(data.Path, "faktory-password");
        await File.WriteAllTextAsync(passwordFile, password + "\n", TestContext.Current.CancellationToken);
        var port = FaktoryServer.FreePort();
        using var server = await ConveyorProcess.StartReadyAsync(
            data.Path, "--faktory-port", port.ToString(CultureInfo.InvariantCulture), "--faktory-password-file", passwordFile);
        var commandLine = await File.ReadAllTextAsync($"/proc/{server.Pid}/cmdline", TestContext.Current.CancellationToken);

        Assert.Equal("-ERR Invalid password", await HelloAsync(port, wrongPassword));
        Assert.Equal("+OK", await HelloAsync(port, password));
        using var http = new HttpClient { BaseAddress = server.Address };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(TestKeys.Request(HttpMethod.Get, "v1/stats", wrongKey), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(TestKeys.Request(HttpMethod.Get, "v1/stats", key), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(0, await server.TerminateAsync());

        Assert.Contains(passwordFile, commandLine, StringComparison.Ordinal);
        foreach (var secret in (string[])[password, wrongPassword, key, wrongKey])
        {
            Assert.DoesNotContain(secret, commandLine, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, server.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Serve_PasswordAndPasswordFile_RefusesToStart()
    {
        using var data = new TempDirectory("conveyor-secrets");
        var passwordFile = Path.Combine(data.Path, "faktory-password");
        await File.WriteAllTextAsync(passwordFile, "a", TestContext.Current.CancellationToken);

        var (code, output) = await ChildProcess.RunAsync(
            Path.Combine(AppContext.BaseDirectory, "conveyor"),
            $"serve --data {data.Path} --http-port 0 --faktory-port 0 --grpc-port 0 --faktory-password b --faktory-password-file {passwordFile}",
            Path.GetTempPath(), TimeSpan.FromSeconds(60));

        Assert.Equal(1, code);
        Assert.Contains("give the Faktory password once", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_PasswordOnTheCommandLine_WarnsThatPsShowsIt()
    {
        using var data = new TempDirectory("conveyor-secrets");
        var port = FaktoryServer.FreePort();
        using var server = await ConveyorProcess.StartReadyAsync(
            data.Path, "--faktory-port", port.ToString(CultureInfo.InvariantCulture), "--faktory-password", "visible");

        Assert.Equal("+OK", await HelloAsync(port, "visible"));
        Assert.Contains("a password on the command line is visible to every local user (ps)", server.Output, StringComparison.Ordinal);
    }

    private static async Task<string?> HelloAsync(int port, string password)
    {
        await using var client = await RawFaktoryClient.ConnectAsync(port, TestContext.Current.CancellationToken);
        var greeting = JsonDocument.Parse((await client.ReadLineAsync())!["+HI ".Length..]).RootElement;
        var proof = FaktoryPassword.Hash(password, greeting.GetProperty("s").GetString()!, greeting.GetProperty("i").GetInt32());
        return await client.SendAsync($"HELLO {{\"hostname\":\"h\",\"v\":2,\"pwdhash\":\"{proof}\"}}");
    }
}
