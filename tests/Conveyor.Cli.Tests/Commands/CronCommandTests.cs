using System.Text.Json.Nodes;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Cli.Tests.Commands;

/// <summary><c>conveyor cron ...</c>, run as the real binary against a real server.</summary>
public sealed class CronCommandTests : IAsyncLifetime
{
    private readonly TempDirectory data = new("conveyor-cli-cron");
    private ConveyorProcess server = null!;

    private string Server => server.Address.ToString();

    public async ValueTask InitializeAsync() => server = await ConveyorProcess.StartReadyAsync(data.Path);

    public ValueTask DisposeAsync()
    {
        server.Dispose();
        data.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Cron_SetListGetPauseResumeDelete_AsAnOperatorWould()
    {
        var set = await RunAsync("cron", "set", "nightly", "--expression", "0 3 * * *", "--time-zone", "Europe/Berlin", "--type", "report.build", "--queue", "reports", "--args", """{"a":1}""", "--server", Server);
        Assert.Equal(0, set.ExitCode);
        Assert.StartsWith("set nightly: next ", set.Output, StringComparison.Ordinal);

        var list = await RunAsync("cron", "list", "--server", Server);
        Assert.Equal(0, list.ExitCode);
        var row = list.Output.TrimEnd().Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["nightly", "0", "3", "*", "*", "*", "Europe/Berlin"], row[..7]);

        var get = await RunAsync("cron", "get", "nightly", "--next", "3", "--server", Server);
        Assert.Equal(0, get.ExitCode);
        var view = JsonNode.Parse(get.Output)!;
        Assert.Equal(3, view["next"]!.AsArray().Count);
        Assert.Equal("reports", view["job"]!["queue"]!.GetValue<string>());

        Assert.Equal((0, "paused nightly"), await OutcomeAsync("cron", "pause", "nightly", "--server", Server));
        Assert.True(JsonNode.Parse((await RunAsync("cron", "get", "nightly", "--server", Server)).Output)!["paused"]!.GetValue<bool>());
        Assert.Equal((0, "resumed nightly"), await OutcomeAsync("cron", "resume", "nightly", "--server", Server));
        Assert.Equal((0, "deleted nightly"), await OutcomeAsync("cron", "delete", "nightly", "--server", Server));

        var missing = await RunAsync("cron", "get", "nightly", "--server", Server);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no schedule 'nightly'", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CronSet_BadExpression_ExitsOneNamingTheField()
    {
        var set = await RunAsync("cron", "set", "bad", "--expression", "61 * * * *", "--type", "t", "--server", Server);

        Assert.Equal(1, set.ExitCode);
        Assert.Contains("expression", set.Error, StringComparison.Ordinal);
        Assert.Single(set.Error.TrimEnd().Split('\n'));
    }

    private static async Task<(int, string)> OutcomeAsync(params string[] arguments)
    {
        var run = await RunAsync(arguments);
        return (run.ExitCode, run.Output.Trim());
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) =>
        CliRunner.RunAsync(TimeSpan.FromSeconds(60), arguments);
}
