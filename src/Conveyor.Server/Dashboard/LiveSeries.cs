using System.Diagnostics.Metrics;
using Conveyor.Core.Telemetry;
using Microsoft.Extensions.Hosting;

namespace Conveyor.Server.Dashboard;

/// <summary>
/// The overview's live series: listens to the store's job instruments (<see cref="JobMetrics"/>) and, every
/// <see cref="Interval"/>, appends what happened in it to a ring of the last hour. The page reads the ring, so its
/// charts have their history after a reload and agree between tabs. In memory only: it starts empty after a restart.
/// </summary>
internal sealed class LiveSeries(TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>One hour of points.</summary>
    public const int Capacity = 1800;

    private readonly Lock gate = new();
    private readonly double[][] ring = new double[Capacity][];
    private int count;
    private int next;
    private long enqueued;
    private long completed;
    private long failed;
    private long pickups;
    private long pickupMicros;
    private MeterListener? listener;

    /// <summary>The points after <paramref name="afterUnixMs"/> (all with 0), oldest first.</summary>
    public LiveView Read(double afterUnixMs)
    {
        var points = new List<double[]>();
        lock (gate)
        {
            for (var i = 0; i < count; i++)
            {
                var point = ring[(next - count + i + Capacity) % Capacity];
                if (point[0] > afterUnixMs)
                {
                    points.Add(point);
                }
            }
        }

        return new LiveView((int)Interval.TotalMilliseconds, points);
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == JobMetrics.MeterName && instrument.Name is "conveyor.jobs.enqueued" or "conveyor.jobs.completed"
                    or "conveyor.jobs.failed" or "conveyor.job.pickup.duration")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            switch (instrument.Name)
            {
                case "conveyor.jobs.enqueued":
                    Interlocked.Add(ref enqueued, value);
                    break;
                case "conveyor.jobs.completed":
                    Interlocked.Add(ref completed, value);
                    break;
                default:
                    Interlocked.Add(ref failed, value);
                    break;
            }
        });
        listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            Interlocked.Increment(ref pickups);
            Interlocked.Add(ref pickupMicros, (long)(seconds * 1_000_000));
        });
        listener.Start();
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        listener?.Dispose();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Sample();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>Closes the current interval into a point.</summary>
    internal void Sample()
    {
        var micros = Interlocked.Exchange(ref pickupMicros, 0);
        double[] point =
        [
            time.GetUtcNow().ToUnixTimeMilliseconds(),
            Interlocked.Exchange(ref enqueued, 0),
            Interlocked.Exchange(ref completed, 0),
            Interlocked.Exchange(ref failed, 0),
            Interlocked.Exchange(ref pickups, 0),
            micros / 1000.0,
        ];
        lock (gate)
        {
            ring[next] = point;
            next = (next + 1) % Capacity;
            count = Math.Min(count + 1, Capacity);
        }
    }

    public override void Dispose()
    {
        listener?.Dispose();
        base.Dispose();
    }
}
