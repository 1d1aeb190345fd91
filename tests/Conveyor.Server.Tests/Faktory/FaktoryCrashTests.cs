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
        var faktoryPort = FaktoryServer.FreePort().ToString(CultureInfo.InvariantCulture);
        List<string> acknowledged = [];

        for (var round = 0; round < 3; round++)
        {
            using var server = await ConveyorProcess.StartAsync(data.Path, "--faktory-port", faktoryPort);
            await using var client = await ConnectAsync(faktoryPort);
            using var kill = new CancellationTokenSource(TimeSpan.FromMilliseconds(400 + (round * 100)));
            kill.Token.Register(server.Kill);
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
        }

        using var final = await ConveyorProcess.StartReadyAsync(data.Path, "--faktory-port", faktoryPort);
        await using (await ConnectAsync(faktoryPort))
        {
            using var http = new HttpClient { BaseAddress = final.Address };
            Assert.NotEmpty(acknowledged);
            foreach (var jid in acknowledged)
            {
                var response = await http.GetAsync(new Uri($"v1/jobs/{jid}", UriKind.Relative), TestContext.Current.CancellationToken);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"acknowledged job {jid} was lost ({response.StatusCode})");
            }
        }
    }

    /// <summary>Connects once the server's store has recovered (a PUSH-free INFO answers).</summary>
    private static async Task<RawFaktoryClient> ConnectAsync(string port)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var client = await RawFaktoryClient.OpenAsync(int.Parse(port, CultureInfo.InvariantCulture));
                if ((await client.SendAsync("INFO"))?.StartsWith('{') == true)
                {
                    return client;
                }

                await client.DisposeAsync();
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException && attempt < 300)
            {
                // Not accepting yet.
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
