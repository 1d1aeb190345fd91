using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Conveyor.Dashboard.Tests;

/// <summary>The workers page: a Faktory worker that heartbeats shows with the job it runs, and can be quieted.</summary>
public sealed class WorkersPageTests(Browser browser)
{
    [Fact]
    public async Task Workers_FaktoryWorkerRunningAJob_ListedWithItAndQuieted()
    {
        var port = FreePort();
        var (server, _) = await DashboardServer.StartAsync(port);
        await using var __ = server;
        await server.EnqueueAsync("""{"type":"image.resize","queue":"default"}""");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
        using var reader = new StreamReader(tcp.GetStream(), Encoding.UTF8);
        var stream = tcp.GetStream();
        Assert.StartsWith("+HI", await reader.ReadLineAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal("+OK", await SendAsync(stream, reader, """HELLO {"hostname":"box-1","wid":"wrk-1","pid":42,"v":2}"""));
        Assert.StartsWith("$", await SendAsync(stream, reader, "FETCH default"), StringComparison.Ordinal);
        Assert.Contains("image.resize", await reader.ReadLineAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        await using var tab = await DashboardTab.OpenAsync(browser, server.Url, "#/workers");

        var row = tab.Page.GetByRole(AriaRole.Row, new() { Name = "wrk-1" });
        await Expect(row).ToContainTextAsync("box-1");
        await Expect(row).ToContainTextAsync("1: image.resize");
        await row.GetByRole(AriaRole.Button, new() { Name = "Quiet" }).ClickAsync();

        await Expect(row.Locator(".state")).ToHaveTextAsync("quiet");
        Assert.Contains("quiet", await SendAsync(stream, reader, """BEAT {"wid":"wrk-1"}"""), StringComparison.Ordinal);
        await tab.AssertCleanAsync();
    }

    private static async Task<string?> SendAsync(NetworkStream stream, StreamReader reader, string line)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), TestContext.Current.CancellationToken);
        var reply = await reader.ReadLineAsync(TestContext.Current.CancellationToken);
        return reply is not null && reply.StartsWith('$') && line.StartsWith("BEAT", StringComparison.Ordinal)
            ? await reader.ReadLineAsync(TestContext.Current.CancellationToken)
            : reply;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
