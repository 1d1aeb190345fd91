using System.Diagnostics;
using System.Diagnostics.Metrics;
using Conveyor.Contracts.Jobs;

namespace Conveyor.Client.Diagnostics;

/// <summary>The worker's one place for spans and metrics, so instrument names and tags are defined once.</summary>
internal sealed class WorkerTelemetry : IDisposable
{
    private static readonly ActivitySource Source = new(ConveyorDiagnostics.ActivitySourceName);
    private readonly Meter meter;
    private readonly bool ownsMeter;
    private readonly Counter<long> processed;
    private readonly Counter<long> failed;
    private readonly Counter<long> stale;
    private readonly Histogram<double> duration;

    public WorkerTelemetry(IMeterFactory? meterFactory)
    {
        ownsMeter = meterFactory is null;
        meter = meterFactory?.Create(ConveyorDiagnostics.MeterName) ?? new Meter(ConveyorDiagnostics.MeterName);
        processed = meter.CreateCounter<long>(ConveyorDiagnostics.JobsProcessed, "{job}", "Jobs whose handler returned");
        failed = meter.CreateCounter<long>(ConveyorDiagnostics.JobsFailed, "{job}", "Failed attempts");
        stale = meter.CreateCounter<long>(ConveyorDiagnostics.SettleStale, "{job}", "Settlements refused as stale");
        duration = meter.CreateHistogram<double>(ConveyorDiagnostics.JobDuration, "s", "Handler duration");
    }

    /// <summary>A consumer span for one attempt, child of the enqueuer's trace context when the job carries one.</summary>
    public static Activity? StartJob(JobView job)
    {
        var activity = Source.StartActivity(ActivityKind.Consumer, TraceMeta.Extract(job.Meta), name: $"{job.Type} process");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "conveyor");
            activity.SetTag("messaging.operation.type", "process");
            activity.SetTag("messaging.destination.name", job.Queue);
            activity.SetTag("messaging.message.id", job.Id);
            activity.SetTag("conveyor.job.type", job.Type);
            activity.SetTag("conveyor.job.attempt", job.Attempt);
        }

        return activity;
    }

    public void Completed(JobView job, TimeSpan elapsed)
    {
        var tags = Tags(job);
        processed.Add(1, tags);
        duration.Record(elapsed.TotalSeconds, tags);
    }

    public void Failed(JobView job, TimeSpan elapsed, string errorType)
    {
        var tags = Tags(job);
        tags.Add("error.type", errorType);
        failed.Add(1, tags);
        duration.Record(elapsed.TotalSeconds, tags);
    }

    public void Stale() => stale.Add(1);

    public void Dispose()
    {
        if (ownsMeter)
        {
            meter.Dispose();
        }
    }

    private static TagList Tags(JobView job) => new() { { "messaging.destination.name", job.Queue }, { "conveyor.job.type", job.Type } };
}
