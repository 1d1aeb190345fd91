using System.Diagnostics.Metrics;
using Conveyor.Broker;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Core.Telemetry;
using Conveyor.Server.Hosting;
using Microsoft.Extensions.Hosting;

namespace Conveyor.Server.Telemetry;

/// <summary>
/// The gauges a scrape reads without touching the store: every <see cref="ConveyorServerOptions.MetricsSampleInterval"/>
/// this service reads the queues and the stats once and keeps them; the observable instruments report the last
/// sample (jobs per queue and state, each queue's oldest available job, jobs per state, the store's write counters).
/// </summary>
internal sealed class QueueGauges : BackgroundService
{
    private readonly BrokerRuntime runtime;
    private readonly ConveyorServerOptions options;
    private readonly Meter meter;
    private volatile Sample? last;

    public QueueGauges(BrokerRuntime runtime, ConveyorServerOptions options, IMeterFactory meters)
    {
        this.runtime = runtime;
        this.options = options;
        meter = meters.Create(JobMetrics.MeterName);
        meter.CreateObservableGauge("conveyor.queue.jobs", ObserveQueueJobs, "{job}", "Jobs in each queue by state (available, scheduled, retrying, active)");
        meter.CreateObservableGauge("conveyor.queue.oldest_age", ObserveOldest, "s", "How long the queue's longest-waiting available job has waited (0 when none)");
        meter.CreateObservableGauge("conveyor.jobs", ObserveStates, "{job}", "Jobs in the store by state");
        meter.CreateObservableCounter("conveyor.wal.flushes", () => Storage(c => c.Flushes), "{flush}", "Group commits that wrote to the log");
        meter.CreateObservableCounter("conveyor.wal.fsyncs", () => Storage(c => c.Fsyncs), "{fsync}", "fsyncs of the log");
        meter.CreateObservableCounter("conveyor.wal.written", () => Storage(c => c.BytesWritten), "By", "Bytes written to the log");
        meter.CreateObservableCounter("conveyor.snapshots", () => Storage(c => c.Snapshots), "{snapshot}", "Snapshots written");
        meter.CreateObservableCounter("conveyor.maintenance.cycles", () => last?.Maintenance.Cycles ?? 0, "{cycle}", "Maintenance passes (promote, expire leases, prune)");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        JobBroker broker;
        try
        {
            broker = await runtime.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception) when (!stoppingToken.IsCancellationRequested)
        {
            return; // The store did not open; /readyz says why.
        }
        catch (OperationCanceledException)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.MetricsSampleInterval, options.Time);
        do
        {
            try
            {
                var queues = await broker.ListQueuesAsync(stoppingToken).ConfigureAwait(false);
                var stats = await broker.GetStatsAsync(stoppingToken).ConfigureAwait(false);
                last = new Sample(queues, stats.Store, broker.Maintenance, options.Time.GetUtcNow());
            }
            catch (Exception ex) when (ex is StorageUnavailableException or ServiceNotReadyException)
            {
                // Keep the last sample; the next tick tries again.
            }
        }
        while (await NextAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    public override void Dispose()
    {
        meter.Dispose();
        base.Dispose();
    }

    private static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private IEnumerable<Measurement<long>> ObserveQueueJobs()
    {
        if (last is not { } sample)
        {
            yield break;
        }

        foreach (var queue in sample.Queues)
        {
            var label = JobMetrics.QueueLabel(queue.Name);
            yield return new Measurement<long>(queue.Available, new("queue", label), new("state", "available"));
            yield return new Measurement<long>(queue.Scheduled, new("queue", label), new("state", "scheduled"));
            yield return new Measurement<long>(queue.Retrying, new("queue", label), new("state", "retrying"));
            yield return new Measurement<long>(queue.Active, new("queue", label), new("state", "active"));
        }
    }

    private IEnumerable<Measurement<double>> ObserveOldest()
    {
        if (last is not { } sample)
        {
            yield break;
        }

        foreach (var queue in sample.Queues)
        {
            var age = queue.OldestAvailableAt is { } at ? Math.Max(0, (sample.At - at).TotalSeconds) : 0;
            yield return new Measurement<double>(age, new KeyValuePair<string, object?>("queue", JobMetrics.QueueLabel(queue.Name)));
        }
    }

    private IEnumerable<Measurement<long>> ObserveStates()
    {
        if (last is not { } sample)
        {
            yield break;
        }

        foreach (var (state, count) in sample.Stats.Counts)
        {
            yield return new Measurement<long>(count, new KeyValuePair<string, object?>("state", state.ToName()));
        }
    }

    private long Storage(Func<StorageCounters, long> pick) => last?.Stats.Storage is { } counters ? pick(counters) : 0;

    private sealed record Sample(IReadOnlyList<QueueInfo> Queues, StoreStats Stats, MaintenanceTotals Maintenance, DateTimeOffset At);
}
