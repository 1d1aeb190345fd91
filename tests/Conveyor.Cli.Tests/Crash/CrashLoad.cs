using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Conveyor.Cli.Tests.Crash;

/// <summary>
/// Producers and workers that keep going across server crashes: they follow the server to its new
/// address after each restart, retry what got no answer, and record only what the server acknowledged.
/// </summary>
internal sealed class CrashLoad(string queue) : IDisposable
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private volatile Uri address = new("http://127.0.0.1:1/");

    /// <summary>Ids whose enqueue the server answered with 200/201.</summary>
    public ConcurrentDictionary<string, bool> Acknowledged { get; } = new();

    /// <summary>How many acks the server answered "ok" for each id (must never exceed 1).</summary>
    public ConcurrentDictionary<string, int> Completions { get; } = new();

    public int FailedRequests;

    public void Follow(Uri server) => address = server;

    public async Task ProduceSinglesAsync(string prefix, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var id = $"{prefix}-{n}";
            await SendUntilAnsweredAsync("v1/jobs", Job(id), _ => Acknowledged[id] = true, stop);
        }
    }

    public async Task ProduceBatchesAsync(string prefix, int size, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var ids = Enumerable.Range(0, size).Select(i => $"{prefix}-{n}-{i}").ToArray();
            var body = new JsonObject { ["jobs"] = new JsonArray([.. ids.Select(Job)]) };
            await SendUntilAnsweredAsync("v1/jobs/batch", body, _ =>
            {
                foreach (var id in ids)
                {
                    Acknowledged[id] = true;
                }
            }, stop);
        }
    }

    /// <summary>Enqueues the given ids in one batch (once answered, they count as acknowledged).</summary>
    public async Task EnqueueAsync(IReadOnlyList<string> ids)
    {
        var body = new JsonObject { ["jobs"] = new JsonArray([.. ids.Select(Job)]) };
        using var response = await http.PostAsJsonAsync(new Uri(address, "v1/jobs/batch"), body);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        foreach (var id in ids)
        {
            Acknowledged[id] = true;
        }
    }

    /// <summary>One fetch of up to <paramref name="max"/> jobs, without waiting: each job's id and lease token.</summary>
    public async Task<List<(string Id, string Token)>> FetchAsync(int max)
    {
        using var response = await http.PostAsJsonAsync(new Uri(address, "v1/fetch"), new JsonObject { ["queues"] = new JsonArray(queue), ["max"] = max });
        response.EnsureSuccessStatusCode();
        var jobs = (await response.Content.ReadFromJsonAsync<JsonObject>())!["jobs"]!.AsArray();
        return [.. jobs.Select(j => (j!["id"]!.GetValue<string>(), j["lease"]!["token"]!.GetValue<string>()))];
    }

    /// <summary>Notes an ack the server answered "ok" that was made outside <see cref="WorkAsync"/>.</summary>
    public void RecordCompletion(string id) => Completions.AddOrUpdate(id, 1, (_, count) => count + 1);

    public async Task WorkAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            JsonArray jobs;
            try
            {
                var response = await http.PostAsJsonAsync(
                    new Uri(address, "v1/fetch"), new JsonObject { ["queues"] = new JsonArray(queue), ["max"] = 20, ["wait_ms"] = 200 }, stop);
                if (!response.IsSuccessStatusCode)
                {
                    await Task.Delay(20, stop);
                    continue;
                }

                jobs = (await response.Content.ReadFromJsonAsync<JsonObject>(stop))!["jobs"]!.AsArray();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref FailedRequests);
                await Task.Delay(50, stop);
                continue;
            }

            if (jobs.Count == 0)
            {
                continue;
            }

            var acks = new JsonArray([.. jobs.Select(j => new JsonObject { ["id"] = j!["id"]!.GetValue<string>(), ["token"] = j["lease"]!["token"]!.GetValue<string>() })]);
            // The same tokens are retried across a restart: a lease that was durable survives the crash, so the ack is
            // still "ok" unless the lease expired meanwhile; one that was not (a fetch is answered before its fsync) is
            // "stale" and the job is redelivered.
            await SendUntilAnsweredAsync("v1/settle", new JsonObject { ["ack"] = acks, ["fail"] = new JsonArray() }, RecordSettle, stop);
        }
    }

    private void RecordSettle(JsonObject answer) => RecordSettle(Completions, answer);

    private Task SendUntilAnsweredAsync(string path, JsonObject body, Action<JsonObject> answered, CancellationToken stop) =>
        SendUntilAnsweredAsync(http, () => address, path, body, answered, () => Interlocked.Increment(ref FailedRequests), stop);

    /// <summary>
    /// Posts until a node answers (2xx: <paramref name="answered"/>; 4xx: the test is wrong and fails); no answer, a 5xx
    /// or a cut-off body counts in <paramref name="failed"/> and the same request goes again to whatever
    /// <paramref name="server"/> names then. Enqueues by client id are idempotent and a settle names its lease.
    /// </summary>
    public static async Task SendUntilAnsweredAsync(
        HttpClient http, Func<Uri> server, string path, JsonObject body, Action<JsonObject> answered, Action failed, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await http.PostAsJsonAsync(new Uri(server(), path), body, stop);
                if (response.IsSuccessStatusCode)
                {
                    answered((await response.Content.ReadFromJsonAsync<JsonObject>(stop))!);
                    return;
                }

                if ((int)response.StatusCode < 500)
                {
                    throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(stop)}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !stop.IsCancellationRequested)
            {
                // No answer (the node is down, was killed mid-request, or lost its database): retry the same request.
            }

            failed();
            await Task.Delay(50, CancellationToken.None);
        }
    }

    /// <summary>Counts the "ok" results of a settle answer in <paramref name="completions"/>.</summary>
    public static void RecordSettle(ConcurrentDictionary<string, int> completions, JsonObject answer)
    {
        foreach (var result in answer["results"]!.AsArray())
        {
            if (result!["status"]!.GetValue<string>() == "ok")
            {
                completions.AddOrUpdate(result["id"]!.GetValue<string>(), 1, (_, count) => count + 1);
            }
        }
    }

    /// <summary>A crash-test job: its id as its only argument, retried at once, practically without an attempt limit.</summary>
    public static JsonObject Job(string id, string queue, int leaseSeconds) => new()
    {
        ["id"] = id,
        ["type"] = "crash-test",
        ["queue"] = queue,
        ["args"] = new JsonArray(id),
        ["lease_seconds"] = leaseSeconds,
        ["backoff"] = "fixed:0",
        ["max_attempts"] = 10_000,
    };

    private JsonObject Job(string id) => Job(id, queue, 3);

    /// <summary>Every id the server holds as completed (paging through the list).</summary>
    public async Task<HashSet<string>> CompletedIdsAsync()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = (await http.GetFromJsonAsync<JsonObject>(new Uri(address, $"v1/jobs?state=completed&queue={queue}&limit=1000" + (cursor is null ? "" : $"&cursor={cursor}"))))!;
            foreach (var job in page["jobs"]!.AsArray())
            {
                ids.Add(job!["id"]!.GetValue<string>());
            }

            cursor = page["next_cursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return ids;
    }

    /// <summary>Jobs of the queue not yet finished, from the queue list.</summary>
    public async Task<int> UnfinishedAsync()
    {
        var page = (await http.GetFromJsonAsync<JsonObject>(new Uri(address, "v1/queues?limit=1000")))!;
        var mine = page["queues"]!.AsArray().FirstOrDefault(q => q!["name"]!.GetValue<string>() == queue);
        return mine is null ? 0 : new[] { "available", "scheduled", "retrying", "active" }.Sum(f => mine[f]!.GetValue<int>());
    }

    /// <summary>
    /// Waits as long as the queue's backlog shrinks (a loaded machine drains slowly), but gives up once it has not moved
    /// for a minute: a stuck job is a failure, not slowness. Returns how many jobs are still unfinished.
    /// </summary>
    public async Task<int> DrainAsync()
    {
        var unfinished = await UnfinishedAsync();
        var sinceProgress = Stopwatch.StartNew();
        while (unfinished > 0 && sinceProgress.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(200);
            var now = await UnfinishedAsync();
            if (now < unfinished)
            {
                sinceProgress.Restart();
            }

            unfinished = now;
        }

        return unfinished;
    }

    /// <summary>
    /// Stops the workers, then asserts what every crash test promises: something was acknowledged, every acknowledged
    /// job completed, none was acknowledged as completed twice, and every completion answered "ok" is a completed job.
    /// <paramref name="run"/> says what ran, for the report line and the failures (e.g. "crash test (seed 42): 5 kills");
    /// <paramref name="serverOutput"/>, when given, is shown with lost jobs.
    /// </summary>
    public async Task VerifyAsync(CancellationTokenSource stopWorkers, Task[] workers, int unfinished, string run, Stopwatch started, string serverOutput = "")
    {
        await stopWorkers.CancelAsync();
        await StoppedAsync(workers);
        var completed = await CompletedIdsAsync();

        var lost = Acknowledged.Keys.Where(id => !completed.Contains(id)).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{run}, {Acknowledged.Count} acknowledged enqueues, {completed.Count} completed, " +
            $"{Completions.Count} acks answered ok, {FailedRequests} requests without answer, {unfinished} unfinished, {started.Elapsed.TotalSeconds:F1} s");
        Assert.True(!Acknowledged.IsEmpty, $"{run}: no enqueue was acknowledged");
        Assert.True(lost.Count == 0, $"{run}: {lost.Count} acknowledged jobs were not completed ({unfinished} unfinished when the drain stopped), e.g. {string.Join(", ", lost.Take(5))}\n{serverOutput}");
        var twice = Completions.Where(c => c.Value > 1).Select(c => c.Key).ToList();
        Assert.True(twice.Count == 0, $"{run}: acknowledged as completed more than once: {string.Join(", ", twice.Take(5))}");
        Assert.Subset(completed, Completions.Keys.ToHashSet());
    }

    /// <summary>
    /// Waits (at most a minute) until the server acknowledged more enqueues than <paramref name="count"/>, so that a kill
    /// lands under load however slowly a loaded machine starts the server.
    /// </summary>
    public async Task AcknowledgedPastAsync(int count)
    {
        var limit = Stopwatch.StartNew();
        while (Acknowledged.Count <= count && limit.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(20);
        }
    }

    /// <summary>Waits for loops that were told to stop; their cancellation is the expected end.</summary>
    public static async Task StoppedAsync(Task[] loops)
    {
        try
        {
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose() => http.Dispose();
}
