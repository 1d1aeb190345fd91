using System.Text.Json;
using Conveyor.Core.Security;
using Conveyor.Protocol.Faktory;
using Conveyor.Server.Tests.Faktory;
using Conveyor.Storage.Embedded.Security;

namespace Conveyor.Server.Tests.Security;

/// <summary>When keys exist, Faktory's HELLO must prove a key with produce and work (or the explicit password).</summary>
public sealed class FaktoryKeyTests
{
    [Theory]
    [InlineData(ApiScope.Produce | ApiScope.Work, "+OK")]
    [InlineData(ApiScope.Admin, "+OK")]
    [InlineData(ApiScope.Produce, "-ERR Invalid password")]
    [InlineData(ApiScope.Read | ApiScope.Work, "-ERR Invalid password")]
    public async Task Hello_KeyAsPassword_NeedsProduceAndWork(ApiScope scopes, string expected)
    {
        string key = "";
        var port = FaktoryServer.FreePort();
        await using var server = await RunningServer.StartAsync(o =>
        {
            o.FaktoryPort = port;
            key = TestKeys.Add(o.DataDirectory, "worker", scopes);
        });
        await using var client = await RawFaktoryClient.ConnectAsync(port);

        var (salt, iterations) = ParseGreeting(await client.ReadLineAsync());

        Assert.Equal(expected, await client.SendAsync($"HELLO {{\"v\":2,\"pwdhash\":\"{FaktoryPassword.Hash(key, salt, iterations)}\"}}"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-key")]
    public async Task Hello_KeysExistWrongOrNoProof_Refused(string? password)
    {
        var port = FaktoryServer.FreePort();
        await using var server = await RunningServer.StartAsync(o =>
        {
            o.FaktoryPort = port;
            TestKeys.Add(o.DataDirectory, "worker", ApiScope.Admin);
        });
        await using var client = await RawFaktoryClient.ConnectAsync(port);
        var (salt, iterations) = ParseGreeting(await client.ReadLineAsync());
        var proof = password is null ? "" : $",\"pwdhash\":\"{FaktoryPassword.Hash(password, salt, iterations)}\"";

        Assert.Equal("-ERR Invalid password", await client.SendAsync($"HELLO {{\"v\":2{proof}}}"));
    }

    [Fact]
    public async Task Hello_KeysExistAndExplicitPassword_PasswordStillWorks()
    {
        var port = FaktoryServer.FreePort();
        await using var server = await RunningServer.StartAsync(o =>
        {
            o.FaktoryPort = port;
            o.FaktoryPassword = "s3cret";
            TestKeys.Add(o.DataDirectory, "worker", ApiScope.Admin);
        });
        await using var client = await RawFaktoryClient.ConnectAsync(port);
        var (salt, iterations) = ParseGreeting(await client.ReadLineAsync());

        Assert.Equal("+OK", await client.SendAsync($"HELLO {{\"v\":2,\"pwdhash\":\"{FaktoryPassword.Hash("s3cret", salt, iterations)}\"}}"));
    }

    [Fact]
    public async Task Hello_ExposedAndLastKeyRevoked_RefusedEvenWithoutPassword()
    {
        var port = FaktoryServer.FreePort();
        await using var server = await RunningServer.StartAsync(o =>
        {
            o.BindAddress = "127.0.0.2";
            o.FaktoryPort = port;
            TestKeys.Add(o.DataDirectory, "worker", ApiScope.Admin);
        });
        await new FileApiKeyStore(server.DataDirectory).RevokeAsync("worker", TestContext.Current.CancellationToken);

        // The listener re-reads keys at most once a second: ask until it notices (bounded).
        string? reply = null;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (reply?.StartsWith("-ERR no API key", StringComparison.Ordinal) != true && waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            await using var client = await RawFaktoryClient.ConnectAsync(port, TestContext.Current.CancellationToken, "127.0.0.2");
            await client.ReadLineAsync();
            reply = await client.SendAsync("HELLO {\"v\":2}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.StartsWith("-ERR no API key exists", reply, StringComparison.Ordinal);
    }

    private static (string Salt, int Iterations) ParseGreeting(string? line)
    {
        Assert.NotNull(line);
        Assert.StartsWith("+HI ", line);
        using var json = JsonDocument.Parse(line[4..]);
        return (json.RootElement.GetProperty("s").GetString()!, json.RootElement.GetProperty("i").GetInt32());
    }
}
