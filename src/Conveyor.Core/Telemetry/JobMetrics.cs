using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Conveyor.Core.Telemetry;

/// <summary>
/// What happens to jobs, as OpenTelemetry instruments on the <see cref="MeterName"/> meter (exported as Prometheus
/// metrics by the server): jobs enqueued, completed and failed by queue and type, leases expired, the pickup
/// latency (available → leased) and the run time (leased → acknowledged or failed). Stores call it when a command is applied (never while replaying a log). Queue and
/// type labels are capped (<see cref="LabelCap"/>).
/// </summary>
public static class JobMetrics
{
    public const string MeterName = "Conveyor";

    private static readonly Meter Meter = new(MeterName);
    private static readonly LabelCap Queues = new(200);
    private static readonly LabelCap Types = new(500);

    private static readonly Counter<long> EnqueuedCounter = Meter.CreateCounter<long>(
        "conveyor.jobs.enqueued", "{job}", "Jobs accepted by the store (duplicates not counted)");

    private static readonly Counter<long> CompletedCounter = Meter.CreateCounter<long>(
        "conveyor.jobs.completed", "{job}", "Jobs acknowledged");

    private static readonly Counter<long> FailedCounter = Meter.CreateCounter<long>(
        "conveyor.jobs.failed", "{job}", "Attempts that failed (outcome: retrying or dead), lease expiries included");

    private static readonly Counter<long> ExpiredCounter = Meter.CreateCounter<long>(
        "conveyor.leases.expired", "{lease}", "Leases that ran out before their job was settled");

    private static readonly Histogram<double> PickupHistogram = Meter.CreateHistogram(
        "conveyor.job.pickup.duration", "s", "From a job becoming available to a worker leasing it",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });

    private static readonly Histogram<double> RunHistogram = Meter.CreateHistogram(
        "conveyor.job.run.duration", "s", "From a worker leasing a job to its ack or fail (lease expiries not counted)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600] });

    /// <summary>Whether anything listens (the server's exporter); stores skip the work of labelling otherwise.</summary>
    public static bool Enabled => EnqueuedCounter.Enabled || CompletedCounter.Enabled || PickupHistogram.Enabled;

    public static void Enqueued(string queue, string type, int count) => EnqueuedCounter.Add(count, Tags(queue, type));

    public static void Completed(string queue, string type, int count) => CompletedCounter.Add(count, Tags(queue, type));

    public static void Failed(string queue, string type, bool dead) =>
        FailedCounter.Add(1, new TagList { { "queue", Queues.Label(queue) }, { "type", Types.Label(type) }, { "outcome", dead ? "dead" : "retrying" } });

    public static void LeaseExpired(string queue) => ExpiredCounter.Add(1, new KeyValuePair<string, object?>("queue", Queues.Label(queue)));

    public static void PickedUp(string queue, TimeSpan waited) =>
        PickupHistogram.Record(Math.Max(0, waited.TotalSeconds), new KeyValuePair<string, object?>("queue", Queues.Label(queue)));

    public static void Ran(string queue, string type, TimeSpan took) =>
        RunHistogram.Record(Math.Max(0, took.TotalSeconds), Tags(queue, type));

    /// <summary>The capped label for a queue, for gauges observed elsewhere.</summary>
    public static string QueueLabel(string queue) => Queues.Label(queue);

    private static TagList Tags(string queue, string type) => new() { { "queue", Queues.Label(queue) }, { "type", Types.Label(type) } };
}
