using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;
using Conveyor.Storage.Embedded;

namespace Conveyor.Server.Tests.Telemetry;

/// <summary>
/// <c>/metrics</c> scraped over a real socket and read by a strict parser of the text format: every metric the
/// server documents is there and moves with the work. Conveyor's meter is process-wide, so each test uses a
/// queue of its own and asserts on its labels.
/// </summary>
[Collection(nameof(MetricsCollection))]
public sealed class MetricsEndpointTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_UnderASmallLoad_EveryDocumentedMetricIsPresentAndMoves()
    {
        await using var server = await RunningServer.StartAsync(o =>
        {
            o.MetricsSampleInterval = TimeSpan.FromMilliseconds(100);
            o.Durability = DurabilityMode.Sync; // fsyncs counted
            o.SnapshotAfterBytes = 1 << 20; // the large batch below takes a snapshot
            o.Broker.MaintenanceInterval = TimeSpan.FromMilliseconds(100); // expires the short lease soon
        });
        var queue = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        var before = await ScrapeUntilAsync(server, _ => true);

        await EnqueueBatchAsync(server, [new() { Type = "mail", Queue = queue }, new() { Type = "mail", Queue = queue }, new() { Type = "mail", Queue = queue, MaxAttempts = 1 }]);
        var jobs = await server.Api.FetchAsync(queue, max: 2);
        Assert.Equal(2, jobs.Count);
        using (var acked = await server.Api.AckAsync(jobs[0].Id, jobs[0].Lease!.Token))
        {
            acked.EnsureSuccessStatusCode();
        }

        using (var failed = await server.Api.FailAsync(jobs[1].Id, new FailRequest { Token = jobs[1].Lease!.Token, ErrorType = "E", Message = "m" }))
        {
            failed.EnsureSuccessStatusCode();
        }

        // A lease left to run out, and more than a MiB of WAL so that a snapshot is written.
        var expiring = queue + "-expiring";
        await EnqueueBatchAsync(server, [new() { Type = "slow", Queue = expiring, LeaseSeconds = 1 }]);
        Assert.Single(await server.Api.FetchAsync(expiring));
        var large = RawJson.FromString("\"" + new string('x', 600_000) + "\"");
        await EnqueueBatchAsync(server, [new() { Type = "big", Queue = queue + "-big", Args = large }, new() { Type = "big", Queue = queue + "-big", Args = large }]);

        var samples = await ScrapeUntilAsync(server, s =>
            Find(s, "conveyor_queue_jobs", ("queue", queue), ("state", "available")) is [{ Value: 1 }]
            && Find(s, "conveyor_jobs_completed_total", ("queue", queue), ("type", "mail")) is [{ Value: 1 }]
            && Find(s, "conveyor_leases_expired_total", ("queue", expiring)) is [{ Value: 1 }]
            && Sum(s, "conveyor_snapshot_duration_seconds_count") > Sum(before, "conveyor_snapshot_duration_seconds_count"));

        // Counters by queue and type; the pickup and run time histograms (a run: leased, then acked or failed).
        Assert.Equal(3, Value(samples, "conveyor_jobs_enqueued_total", ("queue", queue), ("type", "mail")));
        Assert.Equal(1, Value(samples, "conveyor_jobs_failed_total", ("queue", queue), ("type", "mail"), ("outcome", "retrying")));
        Assert.Equal(1, Value(samples, "conveyor_jobs_failed_total", ("queue", expiring), ("type", "slow"), ("outcome", "retrying")));
        Assert.Equal(1, Value(samples, "conveyor_leases_expired_total", ("queue", expiring)));
        Assert.Equal(2, Value(samples, "conveyor_job_pickup_duration_seconds_count", ("queue", queue)));
        Assert.Equal(2, Value(samples, "conveyor_job_pickup_duration_seconds_bucket", ("queue", queue), ("le", "+Inf")));
        Assert.Equal(2, Value(samples, "conveyor_job_run_duration_seconds_count", ("queue", queue), ("type", "mail")));
        Assert.Equal(2, Value(samples, "conveyor_job_run_duration_seconds_bucket", ("queue", queue), ("type", "mail"), ("le", "+Inf")));
        Assert.True(Value(samples, "conveyor_job_run_duration_seconds_sum", ("queue", queue), ("type", "mail")) >= 0);
        Assert.Empty(Find(samples, "conveyor_job_run_duration_seconds_count", ("queue", expiring))); // an expiry is not a run

        // Gauges per queue and per state.
        Assert.Equal(1, Value(samples, "conveyor_queue_jobs", ("queue", queue), ("state", "retrying")));
        Assert.Equal(2, Value(samples, "conveyor_queue_jobs", ("queue", queue + "-big"), ("state", "available")));
        Assert.True(Value(samples, "conveyor_queue_oldest_age_seconds", ("queue", queue)) >= 0);
        Assert.True(Value(samples, "conveyor_jobs", ("state", "available")) >= 3);

        // The store's writes, snapshots and maintenance grew with the load.
        foreach (var name in (string[])["conveyor_wal_flushes_total", "conveyor_wal_fsyncs_total", "conveyor_wal_written_bytes_total", "conveyor_snapshots_total", "conveyor_maintenance_cycles_total"])
        {
            Assert.True(Sum(samples, name) > Sum(before, name), $"{name} did not grow: {Sum(before, name)} → {Sum(samples, name)}");
        }

        Assert.True(Sum(samples, "conveyor_wal_flush_duration_seconds_count") > Sum(before, "conveyor_wal_flush_duration_seconds_count"));
        Assert.True(Value(samples, "conveyor_wal_flush_duration_seconds_count", ("fsync", "true")) > 0);

        // The runtime's and ASP.NET Core's meters: process CPU and memory, Kestrel connections, request durations.
        Assert.True(Sum(samples, "dotnet_process_cpu_time_seconds_total") > Sum(before, "dotnet_process_cpu_time_seconds_total"));
        Assert.True(Sum(samples, "dotnet_process_memory_working_set_bytes") > 0);
        Assert.True(Sum(samples, "kestrel_active_connections") >= 1); // the scrape's own
        Assert.True(Sum(samples, "http_server_request_duration_seconds_count") > Sum(before, "http_server_request_duration_seconds_count"));
    }

    [Fact]
    public async Task Metrics_AskedForOpenMetrics_AnswersOpenMetricsEndingInEof()
    {
        await using var server = await RunningServer.StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.Accept.ParseAdd("application/openmetrics-text; version=1.0.0");
        using var response = await server.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/openmetrics-text", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.EndsWith("# EOF\n", text, StringComparison.Ordinal);
        Assert.NotEmpty(PrometheusText.Parse(text));
    }

    private static async Task<IReadOnlyList<PrometheusText.Sample>> ScrapeUntilAsync(RunningServer server, Func<IReadOnlyList<PrometheusText.Sample>, bool> done)
    {
        // The gauges are sampled every 100 ms here and the exporter caches a scrape briefly: poll, bounded.
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            using var response = await server.Http.GetAsync("metrics", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
            var samples = PrometheusText.Parse(await response.Content.ReadAsStringAsync(Ct));
            if (done(samples) || Stopwatch.GetElapsedTime(started) > Patience)
            {
                return samples;
            }

            await Task.Delay(100, Ct);
        }
    }

    private static async Task EnqueueBatchAsync(RunningServer server, List<EnqueueRequest> jobs)
    {
        using var response = await server.Http.PostAsJsonAsync("v1/jobs/batch", new EnqueueBatchRequest { Jobs = jobs }, ConveyorJsonContext.Default.EnqueueBatchRequest, Ct);
        response.EnsureSuccessStatusCode();
    }

    private static List<PrometheusText.Sample> Find(IReadOnlyList<PrometheusText.Sample> samples, string name, params (string Key, string Value)[] labels) =>
        [.. samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value))];

    private static double Value(IReadOnlyList<PrometheusText.Sample> samples, string name, params (string Key, string Value)[] labels)
    {
        var matching = Find(samples, name, labels);
        Assert.True(matching.Count == 1, $"{matching.Count} samples of {name} with {string.Join(",", labels)}; names: {string.Join(" ", samples.Select(s => s.Name).Distinct().Order())}");
        return matching[0].Value;
    }

    private static double Sum(IReadOnlyList<PrometheusText.Sample> samples, string name) =>
        samples.Where(s => s.Name == name).Sum(s => s.Value);
}
