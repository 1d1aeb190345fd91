using System.Net;
using System.Text;
using System.Text.Json;
using Conveyor.Contracts.Json;

namespace Conveyor.Server.Tests;

/// <summary>
/// Thousands of broken bodies against every POST endpoint that takes one. Mutations either make the body
/// invalid (a strict prefix, a byte JSON forbids, a wrong type, an out-of-range number, too deep) or leave it
/// harmless (enqueues name ids that already exist, so they deduplicate; ack/fail/settle name unknown jobs;
/// fetches name empty queues). So the server must answer every one below 500 and keep its state exactly.
/// </summary>
public sealed class FuzzTests
{
    private const int Cases = 3000;

    private static readonly (string Path, string Body)[] Seeds =
    [
        ("v1/jobs", """{"id":"fz","queue":"fuzz","type":"t","args":[1,{"a":"b"}],"priority":5,"delay_ms":10,"max_attempts":3,"lease_seconds":30,"tags":["x"],"meta":{"k":"v"},"backoff":"fixed:5"}"""),
        ("v1/jobs/batch", """{"jobs":[{"id":"fz","type":"t","queue":"fuzz","args":{"n":1}},{"id":"fz2","type":"u","priority":9,"unique_key":"k","unique_for_seconds":60}]}"""),
        ("v1/fetch", """{"queues":["fuzz-empty","fuzz-none"],"max":5,"wait_ms":0,"worker_id":"w"}"""),
        ("v1/jobs/ghost/ack", """{"token":"abc"}"""),
        ("v1/jobs/ghost/fail", """{"token":"abc","error_type":"E","message":"m","backtrace":["f1","f2"],"retry_in_ms":1000}"""),
        ("v1/jobs/ghost/heartbeat", """{"token":"abc","extend_seconds":60}"""),
        ("v1/settle", """{"ack":[{"id":"ghost","token":"t"}],"fail":[{"id":"ghost2","token":"t","error_type":"E","message":"m","backtrace":[]}]}"""),
        ("v1/jobs/ghost/cancel", """{}"""),
        ("v1/jobs/ghost/retry", """{}"""),
    ];

    // Never a string: every string field given one of these is a wrong type (400).
    private static readonly string[] WrongValues =
    [
        "1e400", "-99999999999999999999999", "99999999999999999999", "true", "{}", "[]", "[1,\"a\"]", "{\"a\":{}}", "0.5",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Post_RandomAndMutatedBodies_NeverFailsTheServerNorChangesState()
    {
        await using var server = await RunningServer.StartAsync();
        await server.Api.EnqueueJobAsync(new() { Id = "fz", Type = "t", Queue = "fuzz", Args = RawJson.FromString("""{"keep":true}""") });
        await server.Api.EnqueueJobAsync(new() { Id = "fz2", Type = "t", Queue = "fuzz", DelayMs = 3_600_000 });
        var before = await SnapshotAsync(server);
        var random = new Random(20261122);
        var rejected = 0;

        for (var i = 0; i < Cases; i++)
        {
            var (path, seed) = Seeds[random.Next(Seeds.Length)];
            var body = Mutate(seed, random);
            using var response = await server.Api.PostBytesAsync(path, body);
            var status = (int)response.StatusCode;
            Assert.True(status < 500, $"case {i}: {path} answered {status} to {Show(body)}: {await response.Content.ReadAsStringAsync(Ct)}");
            rejected += status >= 400 ? 1 : 0;
        }

        using var health = await server.Http.GetAsync("healthz", Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(rejected > Cases / 2, $"only {rejected} of {Cases} bodies were refused; the mutations are too gentle");
        Assert.Equal(before, await SnapshotAsync(server));
    }

    private static byte[] Mutate(string seed, Random random)
    {
        var bytes = Encoding.UTF8.GetBytes(seed);
        switch (random.Next(7))
        {
            case 0:
                var noise = new byte[random.Next(0, 200)];
                random.NextBytes(noise);
                return noise;
            case 1:
                return bytes[..random.Next(0, bytes.Length)];
            case 2:
                return Encoding.UTF8.GetBytes(ReplaceValue(seed, random, WrongValues[random.Next(WrongValues.Length)]));
            case 3:
                var depth = random.Next(65, 5000);
                return Encoding.UTF8.GetBytes(ReplaceValue(seed, random, new string('[', depth) + new string(']', depth)));
            case 4:
                // Bytes JSON never allows unescaped: control characters, and invalid UTF-8 leads and continuations.
                byte[] forbidden = [0x00, 0x01, 0x07, 0x1F, 0x80, 0xBF, 0xC0, 0xC1, 0xF5, 0xFF];
                var at = random.Next(bytes.Length + 1);
                return [.. bytes[..at], forbidden[random.Next(forbidden.Length)], .. bytes[at..]];
            case 5:
                return Encoding.UTF8.GetBytes(ReplaceValue(seed, random, "1" + new string('0', random.Next(20, 400))));
            default:
                return [.. bytes, .. ",{}"u8];
        }
    }

    /// <summary>Replaces the value of one random top-level or nested key with <paramref name="value"/>.</summary>
    private static string ReplaceValue(string seed, Random random, string value)
    {
        var keys = new List<int>();
        for (var i = seed.IndexOf("\":", StringComparison.Ordinal); i >= 0; i = seed.IndexOf("\":", i + 2, StringComparison.Ordinal))
        {
            keys.Add(i + 2);
        }

        if (keys.Count == 0)
        {
            return seed[..^1];
        }

        var start = keys[random.Next(keys.Count)];
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(seed[start..]), new JsonReaderOptions { AllowMultipleValues = true });
        reader.Read();
        reader.Skip();
        var end = start + (int)reader.BytesConsumed;
        var replaced = seed[..start] + value + seed[end..];
        return replaced == seed ? seed[..^1] : replaced;
    }

    private static async Task<string> SnapshotAsync(RunningServer server)
    {
        var stats = await server.Api.StatsAsync();
        var queues = await server.Api.QueuesAsync();
        var jobs = await server.Api.ListAsync("?limit=1000");
        return JsonSerializer.Serialize(stats.Counts, ConveyorJsonContext.Default.IReadOnlyDictionaryStringInt64)
            + $"|{stats.Processed}|{stats.Failed}|"
            + JsonSerializer.Serialize(queues, ConveyorJsonContext.Default.IReadOnlyListQueueView)
            + string.Join(",", jobs.Jobs.Select(j => $"{j.Id}:{j.State}:{j.Attempt}"));
    }

    private static string Show(byte[] body) =>
        body.Length > 300 ? Convert.ToHexString(body[..300]) + "..." : Convert.ToHexString(body);
}
