using System.Text.Json;
using System.Text.Json.Nodes;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Cli.Tests.Commands;

/// <summary>
/// <c>conveyor bench</c> as documented, small: each mode starts its own child server, runs its bounded phases
/// and writes the JSON report. The assertions are about what ran (job counts, rows), never about speed.
/// </summary>
public sealed class BenchCommandTests : IDisposable
{
    private readonly TempDirectory root = new("conveyor-bench");

    public void Dispose() => root.Dispose();

    [Fact]
    public async Task E2e_AfterWarmUp_EnqueuesAndDrainsEveryJob()
    {
        var report = await RunAsync("e2e", "-n", "3000", "-b", "100", "-w", "2", "-p", "2", "--warmup-jobs", "500", "--duration", "60");

        Assert.Equal(3000, Row(report, "e2e enqueue")["jobs"]!.GetValue<long>());
        Assert.Equal(3000, Row(report, "e2e drain")["jobs"]!.GetValue<long>());
        Assert.True(Row(report, "e2e total")["jobs_per_second"]!.GetValue<double>() > 0);
        Assert.DoesNotContain(Rows(report), r => r["name"]!.GetValue<string>().StartsWith("warm-up", StringComparison.Ordinal));

        // What the server counted during each phase (GET /v1/stats): this child server runs with durability none.
        var drain = Row(report, "e2e drain");
        Assert.True(drain["server_flushes"]!.GetValue<long>() > 0);
        Assert.Equal(0, drain["server_fsyncs"]!.GetValue<long>());
        Assert.True(drain["server_allocated_bytes"]!.GetValue<long>() > 0);
        // Present as numbers (a pause or a compilation in the phase is not guaranteed, so their values are not asserted).
        Assert.Equal(JsonValueKind.Number, drain["server_gc_pause_ms"]?.GetValueKind());
        Assert.Equal(JsonValueKind.Number, drain["server_jit_methods"]?.GetValueKind());
    }

    [Fact]
    public async Task E2eFaktoryDrain_AcksEveryJobOneAtATimeOverFaktory()
    {
        var report = await RunAsync("e2e", "--drain", "faktory", "-n", "1000", "-b", "100", "-w", "4", "--warmup-jobs", "200", "--durability", "sync");

        var drain = Row(report, "e2e drain: 4 Faktory connections");
        Assert.Equal(1000, drain["jobs"]!.GetValue<long>());
        Assert.Null(drain["note"]);
        // One FETCH and one ACK per job, each +OK after an fsync: group commit may share them, never exceed two per job.
        Assert.InRange(drain["server_fsyncs"]!.GetValue<long>(), 1, 2000);
    }

    [Fact]
    public async Task E2eGrpcDrain_AcksEveryJobOverWorkStreams()
    {
        var report = await RunAsync("e2e", "--drain", "grpc", "--credits", "8", "-n", "1000", "-b", "1", "--enqueue-batch-size", "500", "-w", "3", "--warmup-jobs", "200");

        var drain = Row(report, "e2e drain: 3 gRPC Work streams, 8 credits each");
        Assert.Equal(1000, drain["jobs"]!.GetValue<long>());
        Assert.Null(drain["note"]);
        Assert.Equal("pushed → ack OK", drain["latency"]!.GetValue<string>());
        Assert.True(drain["p50_ms"]!.GetValue<double>() > 0);
        Assert.Equal(1000, Row(report, "e2e enqueue: batches of 500")["jobs"]!.GetValue<long>());
    }

    [Fact]
    public async Task LatencyGrpc_MeasuresThePickupOverTheWorkStream()
    {
        var report = await RunAsync("latency", "--drain", "grpc", "--credits", "4", "--rate", "100", "--duration", "2", "--warmup", "1", "--fsync-probe-seconds", "0");

        var offered = Row(report, "latency: enqueue request")["jobs"]!.GetValue<long>();
        var pickup = Row(report, "latency: enqueue → handler start");
        Assert.InRange(offered, 1, 200);
        Assert.Equal(offered, pickup["jobs"]!.GetValue<long>());
        Assert.True(Figure(report, "pickup p50 (enqueue → handler start)") > 0);
    }

    [Fact]
    public async Task LatencyFaktoryDrain_Refused()
    {
        var run = await CliRunner.RunAsync(TimeSpan.FromMinutes(1), "bench", "latency", "--drain", "faktory");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("latency takes http or grpc", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task E2eFaktoryDrainWithMixed_Refused()
    {
        var run = await CliRunner.RunAsync(TimeSpan.FromMinutes(1), "bench", "e2e", "--drain", "faktory", "--mixed");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("does not combine with --mixed", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task E2eMixed_CompletesEveryJob()
    {
        var report = await RunAsync("e2e", "--mixed", "-n", "2000", "-b", "50", "--warmup-jobs", "300");

        var completed = Rows(report).Single(r => r["latency"]?.GetValue<string>() == "enqueue → handler start");
        Assert.Equal(2000, completed["jobs"]!.GetValue<long>());
        Assert.Equal(2000, Row(report, "mixed: enqueue requests")["jobs"]!.GetValue<long>());
    }

    [Fact]
    public async Task EnqueueBatched_EnqueuesEveryJob()
    {
        var report = await RunAsync("enqueue", "--variant", "batched", "-n", "2000", "-b", "500", "--fsync-probe-seconds", "0", "--warmup-jobs", "500");

        Assert.Equal(2000, Row(report, "enqueue: batches")["jobs"]!.GetValue<long>());
    }

    [Fact]
    public async Task EnqueueSingle_ProbesBothWaysOfWritingAndTheRoundTripAndReportsTheRatioToEach()
    {
        var report = await RunAsync("enqueue", "--variant", "single", "-n", "300", "--fsync-probe-seconds", "0.3", "--warmup-jobs", "0");

        Assert.True(Row(report, "fsync probe (256 B append")["jobs"]!.GetValue<long>() > 0);
        Assert.True(Row(report, "fsync probe (256 B into preallocated space")["jobs"]!.GetValue<long>() > 0);
        Assert.Equal(300, Row(report, "enqueue: single, 1 in flight")["jobs"]!.GetValue<long>());
        var figures = report["figures"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("single in flight / fsync rate (preallocated)", figures);
        Assert.Contains("single in flight / fsync rate (append)", figures);

        // The ceiling of one request in flight: an fsync and a round trip in series, slower than either.
        foreach (var (probe, what) in new[] { ("loopback round trip probe", "loopback round trip"), ("HTTP round trip probe", "GET /healthz") })
        {
            var roundTrip = Row(report, probe);
            Assert.True(roundTrip["jobs"]!.GetValue<long>() > 0);
            var ceiling = Figure(report, $"one in flight ceiling (preallocated fsync + {what}, in series)");
            Assert.InRange(ceiling, 0.1, roundTrip["jobs_per_second"]!.GetValue<double>());
            Assert.InRange(ceiling, 0.1, Figure(report, "fsync rate (256 B into preallocated space + fsync)"));
            Assert.True(Figure(report, $"single in flight / ceiling with {what}") > 0);
        }
    }

    [Fact]
    public async Task Fsync_ProbesBothWaysOfWritingAndTheLoopbackRoundTrip()
    {
        var report = await RunAsync("fsync", "--duration", "1");

        Assert.True(Row(report, "fsync probe (256 B append + fsync)")["jobs"]!.GetValue<long>() > 0);
        Assert.True(Row(report, "fsync probe (256 B into preallocated space + fsync)")["jobs"]!.GetValue<long>() > 0);
        Assert.True(Row(report, "loopback round trip probe")["p50_ms"]!.GetValue<double>() > 0);
    }

    [Fact]
    public async Task Latency_MeasuresThePickupOfEveryOfferedJob()
    {
        var report = await RunAsync("latency", "--rate", "100", "--duration", "2", "--warmup", "1", "--fsync-probe-seconds", "0.5");

        // The open-loop producer stops offering at the phase's bound; every job it did offer is picked up.
        var offered = Row(report, "latency: enqueue request")["jobs"]!.GetValue<long>();
        var pickup = Row(report, "latency: enqueue → handler start");
        Assert.InRange(offered, 1, 200);
        Assert.Equal(offered, pickup["jobs"]!.GetValue<long>());
        Assert.True(pickup["p50_ms"]!.GetValue<double>() > 0);

        // The floor: fsyncs and HTTP round trips paced at the offered rate, one per 1/rate s at most.
        Assert.InRange(Row(report, "fsync probe (256 B into preallocated space + fsync, 100/s)")["jobs"]!.GetValue<long>(), 1, 50);
        Assert.InRange(Row(report, "HTTP round trip probe (GET /healthz, 1 in flight, 100/s)")["jobs"]!.GetValue<long>(), 1, 50);
        Assert.True(Figure(report, "fsync p99 at the offered rate") >= Figure(report, "fsync p50 at the offered rate"));
        Assert.Equal(
            Figure(report, "fsync p50 at the offered rate") + Figure(report, "HTTP round trip p50 at the offered rate"),
            Figure(report, "fsync p50 + HTTP round trip p50 (about the pickup's floor)"),
            precision: 9);
    }

    [Fact]
    public async Task Memory_CountsTheJobsThenKillsAndRecoversThemAll()
    {
        var report = await RunAsync("memory", "-n", "2000", "-b", "500", "--durability", "sync");

        var enqueue = Row(report, "memory: enqueue");
        Assert.Equal(2000, enqueue["jobs"]!.GetValue<long>());
        Assert.InRange(enqueue["server_fsyncs"]!.GetValue<long>(), 1, 2000 / 500); // durability sync: one per batch at most
        Assert.Equal(enqueue["server_flushes"]!.GetValue<long>(), enqueue["server_fsyncs"]!.GetValue<long>());
        Assert.Equal(2000, Row(report, "restart after SIGKILL")["jobs"]!.GetValue<long>());
        Assert.Equal(2000, Figure(report, "available jobs on the server"));
        Assert.Equal(2000, Figure(report, "available jobs after recovery"));
        Assert.True(Figure(report, "restart: kill → /readyz") > 0);
        Assert.True(Figure(report, "server RSS with the jobs after recovery") > 0);
    }

    private async Task<JsonNode> RunAsync(params string[] arguments)
    {
        var json = Path.Combine(root.Path, Guid.NewGuid().ToString("N") + ".json");
        var run = await CliRunner.RunAsync(
            TimeSpan.FromMinutes(2),
            ["bench", .. arguments, .. (arguments.Contains("--durability") ? Array.Empty<string>() : ["--durability", "none"]),
                "--data-root", root.Path, "--json", json]);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Error}");
        return JsonNode.Parse(await File.ReadAllTextAsync(json))!;
    }

    private static double Figure(JsonNode report, string name) =>
        report["figures"]!.AsArray().FirstOrDefault(f => f!["name"]!.GetValue<string>() == name)?["value"]!.GetValue<double>()
        ?? throw new Xunit.Sdk.XunitException($"no figure '{name}' in {report.ToJsonString()}");

    private static IEnumerable<JsonNode> Rows(JsonNode report) => report["rows"]!.AsArray().Select(r => r!);

    private static JsonNode Row(JsonNode report, string prefix) =>
        Rows(report).FirstOrDefault(r => r["name"]!.GetValue<string>().StartsWith(prefix, StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"no row starting '{prefix}' in {report.ToJsonString()}");
}
