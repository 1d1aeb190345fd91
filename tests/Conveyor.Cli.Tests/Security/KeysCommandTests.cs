using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Conveyor.Cli.Tests.Commands;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Cli.Tests.Security;

/// <summary><c>conveyor keys</c> on a data directory, alone and under a running server.</summary>
public sealed class KeysCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_ThenList_PrintsTheKeyOnceAndListsItWithoutIt()
    {
        using var data = new TempDirectory("conveyor-keys");

        var created = await CliRunner.RunAsync(Timeout, "keys", "create", "--scope", "produce,work", "--name", "billing", "--data", data.Path);
        var listed = await CliRunner.RunAsync(Timeout, "keys", "list", "--data", data.Path);

        var key = created.Output.Trim();
        Assert.Equal(0, created.ExitCode);
        Assert.Matches("^cvk_[A-Za-z0-9_-]{43}$", key);
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("billing", listed.Output, StringComparison.Ordinal);
        Assert.Contains("produce,work", listed.Output, StringComparison.Ordinal);
        Assert.Contains(key[..12], listed.Output, StringComparison.Ordinal);
        Assert.Contains("never", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, await File.ReadAllTextAsync(Path.Combine(data.Path, "keys.json"), Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListJson_NamesEachKeyWithItsScopesAndNeverTheKeyOrItsHash()
    {
        using var data = new TempDirectory("conveyor-keys");
        var created = await CliRunner.RunAsync(Timeout, "keys", "create", "--scope", "read,admin", "--name", "ops", "--data", data.Path);

        var listed = await CliRunner.RunAsync(Timeout, "keys", "list", "--json", "--data", data.Path);

        var key = created.Output.Trim();
        Assert.Equal(0, listed.ExitCode);
        var entry = Assert.Single(JsonNode.Parse(listed.Output)!.AsArray())!;
        Assert.Equal(key[..12], entry["id"]!.GetValue<string>());
        Assert.Equal("ops", entry["name"]!.GetValue<string>());
        Assert.Equal(["read", "admin"], entry["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.True(DateTimeOffset.UtcNow - entry["created_at"]!.GetValue<DateTimeOffset>() < TimeSpan.FromMinutes(5));
        Assert.Null(entry["last_used_at"]);
        Assert.DoesNotContain(key, listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("sha256", listed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_ByNameThenAgain_RemovedThenExit1()
    {
        using var data = new TempDirectory("conveyor-keys");
        await CliRunner.RunAsync(Timeout, "keys", "create", "--scope", "read", "--name", "viewer", "--data", data.Path);

        var revoked = await CliRunner.RunAsync(Timeout, "keys", "revoke", "viewer", "--data", data.Path);
        var again = await CliRunner.RunAsync(Timeout, "keys", "revoke", "viewer", "--data", data.Path);
        var listed = await CliRunner.RunAsync(Timeout, "keys", "list", "--data", data.Path);

        Assert.Equal(0, revoked.ExitCode);
        Assert.Equal(1, again.ExitCode);
        Assert.DoesNotContain("viewer", listed.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("root", "ops")]
    [InlineData("", "ops")]
    [InlineData("admin", "has space")]
    public async Task Create_BadScopeOrName_Exit1AndNothingStored(string scope, string name)
    {
        using var data = new TempDirectory("conveyor-keys");

        var created = await CliRunner.RunAsync(Timeout, "keys", "create", "--scope", scope, "--name", name, "--data", data.Path);

        Assert.NotEqual(0, created.ExitCode);
        Assert.Empty(created.Output);
        Assert.False(File.Exists(Path.Combine(data.Path, "keys.json")));
    }

    [Fact]
    public async Task Create_WhileServerRuns_ServerNeedsTheKeyWithoutRestart()
    {
        using var data = new TempDirectory("conveyor-keys");
        using var server = await ConveyorProcess.StartReadyAsync(data.Path);
        using var http = new HttpClient { BaseAddress = server.Address };
        using var open = await http.GetAsync("v1/stats", Ct);

        var created = await CliRunner.RunAsync(Timeout, "keys", "create", "--scope", "read", "--name", "viewer", "--data", data.Path);
        var refused = await EventuallyAsync(http, key: null, HttpStatusCode.Unauthorized);
        var accepted = await EventuallyAsync(http, created.Output.Trim(), HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal(0, created.ExitCode);
        Assert.True(refused, "the server never started asking for a key");
        Assert.True(accepted, "the server never accepted the new key");
    }

    [Fact]
    public async Task Stats_ApiKeyFromEnvironment_SentByTheCli()
    {
        using var data = new TempDirectory("conveyor-keys");
        var key = (await CliRunner.RunAsync(Timeout, "keys", "create", "--scope", "read", "--name", "viewer", "--data", data.Path)).Output.Trim();
        using var server = await ConveyorProcess.StartReadyAsync(data.Path);

        var without = await RunWithKeyAsync(null, "stats", "--server", server.Address.ToString());
        var with = await RunWithKeyAsync(key, "stats", "--json", "--server", server.Address.ToString());

        Assert.Equal(1, without.ExitCode);
        Assert.Contains("401", without.Error, StringComparison.Ordinal);
        Assert.Equal(0, with.ExitCode);
        Assert.Contains("counts", with.Output, StringComparison.Ordinal);
    }

    /// <summary>Asks until the answer is <paramref name="expected"/> (the server re-reads keys at most once a second); bounded at 15 s.</summary>
    private static async Task<bool> EventuallyAsync(HttpClient http, string? key, HttpStatusCode expected)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "v1/stats");
            if (key is not null)
            {
                request.Headers.Authorization = new("Bearer", key);
            }

            using var response = await http.SendAsync(request, Ct);
            if (response.StatusCode == expected)
            {
                return true;
            }

            await Task.Delay(100, Ct);
        }

        return false;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunWithKeyAsync(string? key, params string[] arguments)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "conveyor")) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["CONVEYOR_API_KEY"] = key ?? "";
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct).WaitAsync(Timeout, Ct);
        return (process.ExitCode, await output, await error);
    }
}
