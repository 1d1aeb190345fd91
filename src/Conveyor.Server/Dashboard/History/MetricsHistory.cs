using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Conveyor.Core.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conveyor.Server.Dashboard.History;

/// <summary>
/// Keeps the metrics history page's data: listens to the store's job instruments (<see cref="JobMetrics"/>: jobs
/// completed, attempts failed, run times by queue and type), folds what they counted into the <see cref="HistoryRing"/>
/// every <see cref="FoldInterval"/>, and with a data directory keeps the ring in <see cref="HistoryFile"/>: read at
/// start (a damaged file or one of an unknown version is logged as a warning and ignored: the history starts empty
/// and the next write replaces it), written every <see cref="SaveInterval"/> when something changed, and at shutdown.
/// Without a data directory it lives in memory.
/// </summary>
internal sealed partial class MetricsHistory : BackgroundService
{
    public static readonly TimeSpan FoldInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan SaveInterval = TimeSpan.FromMinutes(1);

    private readonly TimeProvider time;
    private readonly string? directory;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly HistoryRing ring = new();
    private readonly ConcurrentDictionary<HistorySeries, HistoryAccumulator> pending = new();
    private readonly HistoryAccumulator all;
    private MeterListener? listener;
    private bool dirty;

    public MetricsHistory(ConveyorServerOptions options, ILogger<MetricsHistory> logger)
    {
        time = options.Time;
        directory = options.Store == StoreKind.Embedded ? options.DataDirectory : null;
        this.logger = logger;
        all = pending.GetOrAdd(HistorySeries.All, new HistoryAccumulator());
    }

    /// <summary>Whether the history is kept in a file (and so survives a restart).</summary>
    public bool Persisted => directory is not null;

    public HistoryView Read(HistoryRange range, string? queue, string? type)
    {
        var series = queue is { Length: > 0 } ? HistorySeries.Queue(queue) : type is { Length: > 0 } ? HistorySeries.Type(type) : HistorySeries.All;
        var now = NowMinute();
        lock (gate)
        {
            return new HistoryView(range.Name, range.StepMinutes * 60, series.Dimension == HistoryDimension.Queue ? series.Name : null,
                series.Dimension == HistoryDimension.Type ? series.Name : null, Persisted, ring.Queues, ring.Types, ring.Read(range, series, now));
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Load();
        listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == JobMetrics.MeterName && instrument.Name is "conveyor.jobs.completed" or "conveyor.jobs.failed" or "conveyor.job.run.duration")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var (queue, type) = For(tags);
            if (instrument.Name == "conveyor.jobs.completed")
            {
                all.AddCompleted(value);
                queue.AddCompleted(value);
                type.AddCompleted(value);
            }
            else
            {
                all.AddFailed(value);
                queue.AddFailed(value);
                type.AddFailed(value);
            }
        });
        listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            var (queue, type) = For(tags);
            all.AddRun(seconds);
            queue.AddRun(seconds);
            type.AddRun(seconds);
        });
        listener.Start();
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        listener?.Dispose();
        Fold();
        Save();
    }

    public override void Dispose()
    {
        listener?.Dispose();
        base.Dispose();
    }

    /// <summary>Moves what the instruments counted since the last fold into the current minute's buckets.</summary>
    internal void Fold()
    {
        var minute = NowMinute();
        lock (gate)
        {
            foreach (var (series, accumulator) in pending)
            {
                var cell = accumulator.Drain();
                if (!cell.IsEmpty)
                {
                    ring.Add(minute, series, cell);
                    dirty = true;
                }
            }
        }
    }

    /// <summary>Writes the history file when something changed since the last write (nothing without a data directory).</summary>
    internal void Save()
    {
        if (directory is null)
        {
            return;
        }

        byte[] content;
        lock (gate)
        {
            if (!dirty)
            {
                return;
            }

            content = HistoryFile.Write(ring.Buckets(NowMinute()));
            dirty = false;
        }

        try
        {
            HistoryFile.Save(directory, content);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            lock (gate)
            {
                dirty = true;
            }

            LogSaveFailed(ex, Path.Combine(directory, HistoryFile.FileName));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FoldInterval, time);
        var saveEvery = (int)(SaveInterval / FoldInterval);
        var ticks = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Fold();
                if (++ticks % saveEvery == 0)
                {
                    Save();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: StopAsync folds and saves once more
        }
    }

    private long NowMinute() => time.GetUtcNow().ToUnixTimeSeconds() / 60;

    /// <summary>The accumulators of a measurement's queue and type (the meter caps both names already).</summary>
    private (HistoryAccumulator Queue, HistoryAccumulator Type) For(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? queue = null;
        string? type = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "queue")
            {
                queue = tag.Value as string;
            }
            else if (tag.Key == "type")
            {
                type = tag.Value as string;
            }
        }

        return (pending.GetOrAdd(HistorySeries.Queue(queue ?? string.Empty), static _ => new HistoryAccumulator()),
            pending.GetOrAdd(HistorySeries.Type(type ?? string.Empty), static _ => new HistoryAccumulator()));
    }

    private void Load()
    {
        if (directory is null)
        {
            return;
        }

        var path = Path.Combine(directory, HistoryFile.FileName);
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogLoadFailed(ex, path);
            return;
        }

        try
        {
            var buckets = HistoryFile.Read(content);
            var now = NowMinute();
            lock (gate)
            {
                foreach (var (tenMinutes, bucket) in buckets)
                {
                    ring.Restore(tenMinutes, bucket, now);
                }
            }
        }
        catch (InvalidDataException ex)
        {
            LogLoadFailed(ex, path);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The metrics history in {Path} could not be read; the history starts empty")]
    private partial void LogLoadFailed(Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The metrics history could not be written to {Path}; it is tried again in a minute")]
    private partial void LogSaveFailed(Exception exception, string path);
}
