using System.Diagnostics.Metrics;

namespace Conveyor.Core.Telemetry;

/// <summary>The store's own timings on the <see cref="JobMetrics.MeterName"/> meter: each commit's flush (and fsync), each snapshot.</summary>
public static class StorageMetrics
{
    private static readonly Meter Meter = new(JobMetrics.MeterName);

    private static readonly Histogram<double> FlushHistogram = Meter.CreateHistogram(
        "conveyor.wal.flush.duration", "s", "One group commit: writing the batch's records to the log, and its fsync when durability asks",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });

    private static readonly Histogram<double> SnapshotHistogram = Meter.CreateHistogram(
        "conveyor.snapshot.duration", "s", "Writing one snapshot, from its cut to its file being durable",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });

    public static void Flushed(TimeSpan took, bool synced) =>
        FlushHistogram.Record(took.TotalSeconds, new KeyValuePair<string, object?>("fsync", synced ? "true" : "false"));

    public static void SnapshotWritten(TimeSpan took) => SnapshotHistogram.Record(took.TotalSeconds);
}
