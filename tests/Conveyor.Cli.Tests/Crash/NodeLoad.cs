using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Conveyor.Cli.Tests.Crash;

/// <summary>
/// Producers and workers for several nodes at once, each loop asking <c>server</c> which node to talk to on every
/// request, recording into one <see cref="CrashLoad"/> ledger (what was acknowledged, how many acks answered "ok") so
/// that its drain and checks cover the whole run. A worker can abandon the fetches a node answered once that node is
/// marked as going (<see cref="Abandon"/>): their jobs never reach the worker, as if the node had died with them.
/// </summary>
internal sealed class NodeLoad(CrashLoad ledger, string queue, int leaseSeconds) : IDisposable
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ConcurrentDictionary<Uri, bool> abandoned = new();

    /// <summary>Jobs leased by fetches on an abandoned node, never worked (each must come back after its lease).</summary>
    public ConcurrentDictionary<string, bool> Dropped { get; } = new();

    /// <summary>From now on, whatever a fetch on <paramref name="node"/> answers is dropped, not worked.</summary>
    public void Abandon(Uri node) => abandoned[node] = true;

    /// <summary>Enqueues until stopped, one job per request (<paramref name="batch"/> 1) or a batch at a time.</summary>
    public async Task ProduceAsync(Func<Uri> server, string prefix, int batch, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var ids = Enumerable.Range(0, batch).Select(i => $"{prefix}-{n}-{i}").ToArray();
            await ProduceAsync(server, ids, stop);
        }
    }

    /// <summary>Enqueues <paramref name="ids"/> in one request, retried until a node answers it.</summary>
    public Task ProduceAsync(Func<Uri> server, string[] ids, CancellationToken stop)
    {
        var (path, body) = ids.Length == 1 ? ("v1/jobs", Job(ids[0])) : ("v1/jobs/batch", new JsonObject { ["jobs"] = new JsonArray([.. ids.Select(Job)]) });
        return SendUntilAnsweredAsync(server, path, body, _ =>
        {
            foreach (var id in ids)
            {
                ledger.Acknowledged[id] = true;
            }
        }, stop);
    }

    /// <summary>Fetches (long polls of <paramref name="waitMs"/>) and acks until stopped.</summary>
    public async Task WorkAsync(Func<Uri> server, string workerId, int waitMs, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var node = server();
            JsonArray jobs;
            try
            {
                using var response = await http.PostAsJsonAsync(
                    new Uri(node, "v1/fetch"),
                    new JsonObject { ["queues"] = new JsonArray(queue), ["max"] = 10, ["wait_ms"] = waitMs, ["worker_id"] = workerId },
                    stop);
                if (!response.IsSuccessStatusCode)
                {
                    await Task.Delay(20, stop);
                    continue;
                }

                jobs = (await response.Content.ReadFromJsonAsync<JsonObject>(stop))!["jobs"]!.AsArray();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref ledger.FailedRequests);
                await Task.Delay(50, stop);
                continue;
            }

            if (abandoned.ContainsKey(node))
            {
                foreach (var job in jobs)
                {
                    Dropped[job!["id"]!.GetValue<string>()] = true;
                }

                continue;
            }

            if (jobs.Count == 0)
            {
                continue;
            }

            var acks = new JsonArray([.. jobs.Select(j => new JsonObject { ["id"] = j!["id"]!.GetValue<string>(), ["token"] = j["lease"]!["token"]!.GetValue<string>() })]);
            // Retried with the same tokens until a node answers: "ok" once, or "stale" if the lease ran out meanwhile (the
            // job is redelivered, and only its later ack counts).
            await SendUntilAnsweredAsync(server, "v1/settle", new JsonObject { ["ack"] = acks, ["fail"] = new JsonArray() }, RecordSettle, stop);
        }
    }

    /// <summary>The job as a node reads it now.</summary>
    public async Task<JsonObject> ReadAsync(Uri server, string id) =>
        (await http.GetFromJsonAsync<JsonObject>(new Uri(server, $"v1/jobs/{id}")))!;

    public void Dispose() => http.Dispose();

    private void RecordSettle(JsonObject answer) => CrashLoad.RecordSettle(ledger.Completions, answer);

    private Task SendUntilAnsweredAsync(Func<Uri> server, string path, JsonObject body, Action<JsonObject> answered, CancellationToken stop) =>
        CrashLoad.SendUntilAnsweredAsync(http, server, path, body, answered, () => Interlocked.Increment(ref ledger.FailedRequests), stop);

    private JsonObject Job(string id) => CrashLoad.Job(id, queue, leaseSeconds);
}
