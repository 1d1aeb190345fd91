using System.Text.Json.Nodes;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Cli.Tests.Commands;

/// <summary>The client sub-commands, run as the real binary against a real server.</summary>
public sealed class ClientCommandTests : IAsyncLifetime
{
    private readonly TempDirectory data = new("conveyor-cli");
    private ConveyorProcess server = null!;

    public async ValueTask InitializeAsync() => server = await ConveyorProcess.StartReadyAsync(data.Path);

    public ValueTask DisposeAsync()
    {
        server.Dispose();
        data.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Enqueue_ThenJobsGetAndListAndStats_ShowTheJob()
    {
        var enqueue = await RunAsync("enqueue", "send_email", "--queue", "mail", "--priority", "7", "--args", """{"to":"ada@example.com"}""", "--server", server.Address.ToString());
        Assert.Equal(0, enqueue.ExitCode);
        var id = enqueue.Output.Trim();
        Assert.Equal(26, id.Length);

        var get = await RunAsync("jobs", "get", id, "--server", server.Address.ToString());
        Assert.Equal(0, get.ExitCode);
        var job = JsonNode.Parse(get.Output)!;
        Assert.Equal("available", job["state"]!.GetValue<string>());
        Assert.Equal("mail", job["queue"]!.GetValue<string>());
        Assert.Equal(7, job["priority"]!.GetValue<int>());
        Assert.Equal("ada@example.com", job["args"]!["to"]!.GetValue<string>());

        var list = await RunAsync("jobs", "list", "--queue", "mail", "--state", "available", "--server", server.Address.ToString());
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(id, list.Output, StringComparison.Ordinal);

        var stats = await RunAsync("stats", "--server", server.Address.ToString());
        Assert.Equal(0, stats.ExitCode);
        Assert.Equal(1, JsonNode.Parse(stats.Output)!["counts"]!["available"]!.GetValue<int>());
    }

    [Fact]
    public async Task JobsGet_UnknownId_PrintsTheProblemAndExits1()
    {
        var get = await RunAsync("jobs", "get", "nope", "--server", server.Address.ToString());

        Assert.Equal(1, get.ExitCode);
        Assert.NotEmpty(get.Error);
    }

    [Fact]
    public async Task Enqueue_InvalidPriority_NamesTheFieldAndExits1()
    {
        var enqueue = await RunAsync("enqueue", "t", "--priority", "12", "--server", server.Address.ToString());

        Assert.Equal(1, enqueue.ExitCode);
        Assert.Contains("priority", enqueue.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_ServerUnreachable_Exits2()
    {
        var stats = await RunAsync("stats", "--server", "http://127.0.0.1:1/");

        Assert.Equal(2, stats.ExitCode);
        Assert.Contains("cannot reach", stats.Error, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) =>
        CliRunner.RunAsync(TimeSpan.FromSeconds(60), arguments);
}
