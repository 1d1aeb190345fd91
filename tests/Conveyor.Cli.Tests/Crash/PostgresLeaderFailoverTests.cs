using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Cli.Tests.Crash;

/// <summary>
/// Three <c>conveyor serve</c> nodes on one PostgreSQL database under load; the leader is SIGKILLed with jobs leased
/// through it that nobody will settle. Another node becomes leader within seconds with a higher term, expires those
/// leases (only the leader does), and every acknowledged enqueue is completed exactly once.
/// </summary>
public sealed class PostgresLeaderFailoverTests
{
    private const int LeaderLeaseSeconds = 3;

    /// <summary>A dead leader is replaced within its lease plus a renew interval (4 s here); this is that with slack for a loaded machine.</summary>
    private static readonly TimeSpan TakeoverBound = TimeSpan.FromSeconds(20);

    private static readonly string[] KeepEveryCompletedJob = ["--keep-completed", "100000000"];

    [Fact]
    public async Task SigKill_LeaderUnderLoad_AnotherNodeLeadsReclaimsItsLeasesAndCompletesEachJobOnce()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var environment = new Dictionary<string, string>
        {
            ["CONVEYOR_STORE"] = "postgres", ["CONVEYOR_POSTGRES"] = await cluster.CreateDatabaseAsync(),
            ["CONVEYOR_POSTGRES_LEADER_LEASE"] = LeaderLeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        using var data = new TempDirectory("conveyor-pg-leader");
        var nodes = new List<ConveyorProcess>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var load = new CrashLoad("pg-leader");
        using var stopProducers = new CancellationTokenSource();
        using var stopWorkers = new CancellationTokenSource();
        var started = Stopwatch.StartNew();
        try
        {
            for (var n = 0; n < 3; n++)
            {
                nodes.Add(await ConveyorProcess.StartReadyAsync(Path.Combine(data.Path, $"node-{n}"), environment, KeepEveryCompletedJob));
            }

            var views = await Task.WhenAll(nodes.Select(node => ClusterAsync(http, node)));
            Assert.Single(views, v => v.Leader);
            var leader = nodes[Array.FindIndex(views, v => v.Leader)];
            var term = views.Single(v => v.Leader).Term;
            var survivors = nodes.Where(n => n != leader).ToList();

            // Load through the leader; then a worker leases jobs through it and walks away.
            load.Follow(leader.Address);
            Task[] producers = [load.ProduceSinglesAsync("single", stopProducers.Token), load.ProduceBatchesAsync("batch", 25, stopProducers.Token)];
            var abandoned = await LeaseAndAbandonAsync(http, leader);
            Task[] workers = [load.WorkAsync(stopWorkers.Token), load.WorkAsync(stopWorkers.Token)];
            await Task.Delay(TimeSpan.FromSeconds(1));

            load.Follow(survivors[0].Address);
            leader.Kill();
            var killed = Stopwatch.StartNew();
            var (successor, successorTerm) = await WaitForLeaderAsync(http, survivors);
            var takeover = killed.Elapsed;
            TestContext.Current.TestOutputHelper?.WriteLine($"leader of term {term} killed; node {successor.Address} leads term {successorTerm} after {takeover.TotalSeconds:F1} s");
            Assert.True(successorTerm > term, $"the new leader's term {successorTerm} is not past the dead one's {term}");
            Assert.True(takeover < TakeoverBound, $"takeover took {takeover}");

            load.Follow(successor.Address);
            await Task.Delay(TimeSpan.FromSeconds(1));
            await stopProducers.CancelAsync();
            await CrashLoad.StoppedAsync(producers);
            var unfinished = await load.DrainAsync();
            await load.VerifyAsync(stopWorkers, workers, unfinished, $"postgres leader failover: takeover {takeover.TotalSeconds:F1} s", started);

            // The abandoned leases were expired (by the new leader: the old one was dead) and their jobs run again, once.
            foreach (var id in abandoned)
            {
                var job = (await http.GetFromJsonAsync<JsonObject>(new Uri(successor.Address, $"v1/jobs/{id}")))!;
                Assert.Equal("completed", job["state"]!.GetValue<string>());
                Assert.True(job["attempt"]!.GetValue<int>() >= 2, $"job {id} was completed without its abandoned lease expiring");
                Assert.True(load.Completions.GetValueOrDefault(id) <= 1);
            }
        }
        finally
        {
            await stopProducers.CancelAsync();
            await stopWorkers.CancelAsync();
            foreach (var node in nodes)
            {
                node.Dispose();
            }
        }
    }

    /// <summary>Leases some of the queue's jobs through <paramref name="node"/> and never settles them; returns their ids.</summary>
    private static async Task<List<string>> LeaseAndAbandonAsync(HttpClient http, ConveyorProcess node)
    {
        var ids = new List<string>();
        var watch = Stopwatch.StartNew();
        while (ids.Count == 0 && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            var response = await http.PostAsJsonAsync(
                new Uri(node.Address, "v1/fetch"), new JsonObject { ["queues"] = new JsonArray("pg-leader"), ["max"] = 10, ["wait_ms"] = 1000, ["worker_id"] = "walks-away" });
            response.EnsureSuccessStatusCode();
            ids.AddRange((await response.Content.ReadFromJsonAsync<JsonObject>())!["jobs"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()));
        }

        Assert.NotEmpty(ids);
        return ids;
    }

    private static async Task<(ConveyorProcess Node, long Term)> WaitForLeaderAsync(HttpClient http, List<ConveyorProcess> candidates)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            foreach (var node in candidates)
            {
                var view = await ClusterAsync(http, node);
                if (view.Leader)
                {
                    return (node, view.Term);
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("no surviving node became leader within 60 s");
    }

    private static async Task<(string Node, bool Leader, long Term)> ClusterAsync(HttpClient http, ConveyorProcess node)
    {
        var cluster = (await http.GetFromJsonAsync<JsonObject>(new Uri(node.Address, "v1/stats")))!["cluster"]!;
        return (cluster["node"]!.GetValue<string>(), cluster["leader"]!.GetValue<bool>(), cluster["term"]!.GetValue<long>());
    }
}
