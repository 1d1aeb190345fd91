using System.Diagnostics;
using System.Globalization;
using System.Net;
using Conveyor.Testing;

namespace Conveyor.Server.Tests.Faktory;

/// <summary>
/// Crash safety over the Faktory port: the real <c>conveyor serve</c> is SIGKILLed repeatedly while a raw
/// Faktory client pushes; every PUSH that got <c>+OK</c> must exist after a restart on the same data.
/// </summary>
public sealed class FaktoryCrashTests
{
    [Fact]
    public async Task Push_ServerKilledThreeTimes_NoAcknowledgedPushLost()
    {
        using var data = new TempDirectory("conveyor-faktory-crash");
        var httpPort = FaktoryServer.FreePort();
        var faktoryPort = FaktoryServer.FreePort();
        List<string> acknowledged = [];

        for (var round = 0; round < 3; round++)
        {
            using var server = StartServer(data.Path, httpPort, faktoryPort);
            await using var client = await ConnectAsync(faktoryPort);
            using var kill = new CancellationTokenSource(TimeSpan.FromMilliseconds(400 + (round * 100)));
            kill.Token.Register(() => server.Kill());
            try
            {
                for (var i = 0; ; i++)
                {
                    var jid = $"crash-{round}-{i}";
                    if (await client.SendAsync($"PUSH {{\"jid\":\"{jid}\",\"jobtype\":\"t\",\"args\":[{i}]}}") != "+OK")
                    {
                        break;
                    }

                    acknowledged.Add(jid);
                }
            }
            catch (IOException)
            {
                // The server died mid-command: that push was never acknowledged.
            }

            await server.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        using var final = StartServer(data.Path, httpPort, faktoryPort);
        try
        {
            await using (await ConnectAsync(faktoryPort))
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") };
                Assert.NotEmpty(acknowledged);
                foreach (var jid in acknowledged)
                {
                    var response = await http.GetAsync(new Uri($"v1/jobs/{jid}", UriKind.Relative), TestContext.Current.CancellationToken);
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"acknowledged job {jid} was lost ({response.StatusCode})");
                }
            }
        }
        finally
        {
            final.Kill();
        }
    }

    private static Process StartServer(string dataDirectory, int httpPort, int faktoryPort)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var dll = Path.Combine(ChildProcess.RepositoryRoot(), "src", "Conveyor.Cli", "bin", configuration, "net10.0", "conveyor.dll");
        Assert.True(File.Exists(dll), $"the conveyor binary is missing at {dll}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                dll, "serve", "--data", dataDirectory, "--durability", "sync",
                "--http-port", httpPort.ToString(CultureInfo.InvariantCulture),
                "--faktory-port", faktoryPort.ToString(CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Connects once the restarted server listens and its store has recovered (a PUSH-free INFO answers).</summary>
    private static async Task<RawFaktoryClient> ConnectAsync(int port)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var client = await RawFaktoryClient.OpenAsync(port);
                if ((await client.SendAsync("INFO"))?.StartsWith('{') == true)
                {
                    return client;
                }

                await client.DisposeAsync();
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException && attempt < 300)
            {
                // Not listening yet.
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
