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

        var stats = await RunAsync("stats", "--json", "--server", server.Address.ToString());
        Assert.Equal(0, stats.ExitCode);
        Assert.Equal(1, JsonNode.Parse(stats.Output)!["counts"]!["available"]!.GetValue<int>());

        var table = await RunAsync("stats", "--server", server.Address.ToString());
        Assert.Equal(0, table.ExitCode);
        Assert.Contains(table.Output.Split('\n'), line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["available", "1"]);
    }

    [Fact]
    public async Task JobsList_TableAndJson_ShowTheJobAndFilterByType()
    {
        var id = (await RunAsync("enqueue", "report", "--queue", "listed", "--server", Server)).Output.Trim();
        await RunAsync("enqueue", "other", "--queue", "listed", "--server", Server);

        var table = await RunAsync("jobs", "list", "--type", "report", "--server", Server);
        var json = await RunAsync("jobs", "list", "--type", "report", "--json", "--server", Server);

        Assert.Equal(0, table.ExitCode);
        var lines = table.Output.TrimEnd().Split('\n');
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        Assert.Equal([id, "report", "listed", "available", "0/25"], Assert.Single(lines[1..]).Split(' ', StringSplitOptions.RemoveEmptyEntries)[..5]);
        Assert.Equal(0, json.ExitCode);
        Assert.Equal(id, Assert.Single(JsonNode.Parse(json.Output)!["jobs"]!.AsArray())!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task JobsCancel_AvailableJob_IsCancelledAndASecondCancelIsAConflict()
    {
        var id = (await RunAsync("enqueue", "t", "--server", Server)).Output.Trim();

        var cancel = await RunAsync("jobs", "cancel", id, "--server", Server);
        var again = await RunAsync("jobs", "cancel", id, "--server", Server);
        var retry = await RunAsync("jobs", "retry", id, "--server", Server);

        Assert.Equal((0, $"cancelled {id}"), (cancel.ExitCode, cancel.Output.Trim()));
        Assert.Equal("cancelled", JsonNode.Parse((await RunAsync("jobs", "get", id, "--server", Server)).Output)!["state"]!.GetValue<string>());
        Assert.Equal(1, again.ExitCode);
        Assert.Single(again.Error.TrimEnd().Split('\n'));
        Assert.Contains("409", again.Error, StringComparison.Ordinal);
        Assert.Equal(1, retry.ExitCode);
    }

    [Fact]
    public async Task Queues_PauseResumePurge_ShowInTheList()
    {
        await RunAsync("enqueue", "t", "--queue", "q1", "--server", Server);
        await RunAsync("enqueue", "t", "--queue", "q1", "--server", Server);

        var pause = await RunAsync("queues", "pause", "q1", "--server", Server);
        var paused = await RunAsync("queues", "list", "--server", Server);
        Assert.Equal((0, "paused q1"), (pause.ExitCode, pause.Output.Trim()));
        Assert.Contains(paused.Output.Split('\n'), line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["q1", "2", "0", "0", "0", "yes"]);

        var resume = await RunAsync("queues", "resume", "q1", "--server", Server);
        Assert.Equal(0, resume.ExitCode);
        Assert.False(Queue(await RunAsync("queues", "list", "--json", "--server", Server), "q1")!["paused"]!.GetValue<bool>());

        var purge = await RunAsync("queues", "purge", "q1", "--server", Server);
        Assert.Equal((0, "purged q1"), (purge.ExitCode, purge.Output.Trim()));
        Assert.Equal(0, Queue(await RunAsync("queues", "list", "--json", "--server", Server), "q1")?["available"]!.GetValue<int>() ?? 0);
    }

    [Fact]
    public async Task QueuesRemove_NonEmptyRefusedThenEmptyRemoved_GoneFromTheList()
    {
        await RunAsync("enqueue", "t", "--queue", "doomed", "--server", Server);

        var refused = await RunAsync("queues", "remove", "doomed", "--server", Server);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("still has available, scheduled, retrying or active jobs", refused.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync("queues", "purge", "doomed", "--server", Server)).ExitCode);
        var removed = await RunAsync("queues", "remove", "doomed", "--server", Server);
        Assert.Equal((0, "removed doomed"), (removed.ExitCode, removed.Output.Trim()));
        Assert.Null(Queue(await RunAsync("queues", "list", "--json", "--server", Server), "doomed"));
    }

    [Fact]
    public async Task Workers_NoneHeardFrom_SaysSoAndJsonIsEmpty()
    {
        var table = await RunAsync("workers", "--server", Server);
        var json = await RunAsync("workers", "--json", "--server", Server);

        Assert.Equal(0, table.ExitCode);
        Assert.Contains("no worker", table.Output, StringComparison.Ordinal);
        Assert.Equal(0, json.ExitCode);
        Assert.Empty(JsonNode.Parse(json.Output)!.AsArray());
    }

    [Fact]
    public async Task Enqueue_ArgsNotJson_OneLineOnStderrAndExits1()
    {
        var enqueue = await RunAsync("enqueue", "t", "--args", "{to: ada}", "--server", Server);

        Assert.Equal(1, enqueue.ExitCode);
        var line = Assert.Single(enqueue.Error.Trim().Split('\n'));
        Assert.StartsWith("--args is not JSON", line, StringComparison.Ordinal);
        Assert.Empty(enqueue.Output);
        var stats = await RunAsync("stats", "--json", "--server", Server);
        Assert.Equal(0, JsonNode.Parse(stats.Output)!["counts"]!["available"]!.GetValue<int>());
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
        var line = Assert.Single(stats.Error.Trim().Split('\n'));
        Assert.StartsWith("conveyor: cannot reach the server at http://127.0.0.1:1/", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("jobs list")]
    [InlineData("queues pause q")]
    [InlineData("workers")]
    public async Task AdminVerb_ServerUnreachable_OneLineAndExits2(string verb)
    {
        var run = await RunAsync([.. verb.Split(' '), "--server", "http://127.0.0.1:1/"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    private string Server => server.Address.ToString();

    private static JsonNode? Queue((int ExitCode, string Output, string Error) list, string name) =>
        JsonNode.Parse(list.Output)!.AsArray().FirstOrDefault(q => q!["name"]!.GetValue<string>() == name);

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) =>
        CliRunner.RunAsync(TimeSpan.FromSeconds(60), arguments);
}
