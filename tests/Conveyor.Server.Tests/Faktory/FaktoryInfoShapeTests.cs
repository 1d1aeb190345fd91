using System.Globalization;
using System.Text.Json;

namespace Conveyor.Server.Tests.Faktory;

/// <summary>
/// INFO answers the keys Faktory 1.9.4 answers at every level (client/faktory.go's FaktoryState and the task
/// runners' Stats in server/scanner.go and server/tasks.go), with values that follow the store.
/// </summary>
public sealed class FaktoryInfoShapeTests
{
    private static readonly string[] TopKeys = ["faktory", "now", "server", "server_utc_time"];
    private static readonly string[] DataKeys = ["queues", "sets", "tasks", "total_enqueued", "total_failures", "total_processed", "total_queues"];
    private static readonly string[] SetKeys = ["dead", "retries", "scheduled", "working"];
    private static readonly string[] TaskNames = ["Busy", "Dead", "Retries", "Scheduled", "Workers"];
    private static readonly string[] ScannerKeys = ["cycles", "enqueued", "size", "wall_time_sec"];
    private static readonly string[] ReaperKeys = ["reaped", "size"];
    private static readonly string[] ServerKeys = ["command_count", "connections", "description", "faktory_version", "uptime", "used_memory_mb"];

    [Fact]
    public async Task Info_HasFaktorysKeysAtEveryLevelAndCountsThatFollowTheStore()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using var _ = server;
        await using var client = await RawFaktoryClient.OpenAsync(port, """{"hostname":"h","wid":"info-w","pid":1,"labels":[],"v":2}""");
        var later = DateTimeOffset.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture);
        Assert.Equal("+OK", await client.SendAsync("""PUSH {"jid":"info-1","jobtype":"a","args":[],"queue":"info-q"}"""));
        Assert.Equal("+OK", await client.SendAsync("""PUSH {"jid":"info-2","jobtype":"a","args":[],"queue":"info-q"}"""));
        Assert.Equal("+OK", await client.SendAsync($$"""PUSH {"jid":"info-3","jobtype":"a","args":[],"queue":"info-q","at":"{{later}}"}"""));
        Assert.StartsWith("{", await client.SendAsync("FETCH info-q"), StringComparison.Ordinal);

        using var info = JsonDocument.Parse((await client.SendAsync("INFO"))!);

        var root = info.RootElement;
        Assert.Equal(TopKeys, Keys(root));
        var data = root.GetProperty("faktory");
        Assert.Equal(DataKeys, Keys(data));
        Assert.Equal(SetKeys, Keys(data.GetProperty("sets")));
        var tasks = data.GetProperty("tasks");
        Assert.Equal(TaskNames, Keys(tasks));
        Assert.All(new[] { "Scheduled", "Retries", "Dead" }, name => Assert.Equal(ScannerKeys, Keys(tasks.GetProperty(name))));
        Assert.All(new[] { "Busy", "Workers" }, name => Assert.Equal(ReaperKeys, Keys(tasks.GetProperty(name))));
        Assert.Equal(ServerKeys, Keys(root.GetProperty("server")));

        Assert.True(DateTimeOffset.TryParse(root.GetProperty("now").GetString(), CultureInfo.InvariantCulture, out var now));
        Assert.True((DateTimeOffset.UtcNow - now).Duration() < TimeSpan.FromMinutes(5));
        Assert.Matches("^[0-2][0-9]:[0-5][0-9]:[0-6][0-9] UTC$", root.GetProperty("server_utc_time").GetString());
        Assert.Equal(1, data.GetProperty("queues").GetProperty("info-q").GetInt64());
        Assert.Equal(1, data.GetProperty("sets").GetProperty("scheduled").GetInt64());
        Assert.Equal(1, data.GetProperty("sets").GetProperty("working").GetInt64());
        Assert.Equal(1, tasks.GetProperty("Scheduled").GetProperty("size").GetInt64());
        Assert.Equal(1, tasks.GetProperty("Busy").GetProperty("size").GetInt64());
        Assert.Equal(1, tasks.GetProperty("Workers").GetProperty("size").GetInt64());
        Assert.Equal("1.9.4", root.GetProperty("server").GetProperty("faktory_version").GetString());
    }

    private static string[] Keys(JsonElement element) =>
        [.. element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
