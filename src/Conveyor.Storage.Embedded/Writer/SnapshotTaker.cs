using System.Diagnostics;
using Conveyor.Core.Telemetry;
using Conveyor.Storage.Embedded.Log;
using Conveyor.Storage.Embedded.Snapshots;
using Conveyor.Storage.Embedded.State;
using Microsoft.Extensions.Logging;

namespace Conveyor.Storage.Embedded.Writer;

/// <summary>
/// The writer loop's snapshots, as a state machine: none → cut (<see cref="Start"/>) → slices between batches
/// (<see cref="Continue"/>) → fsync on another thread → published, the WAL it covers deleted; or given up at any step,
/// the WAL kept. Everything but the fsync runs on the writer loop. Partial only for its [LoggerMessage] methods.
/// </summary>
internal sealed partial class SnapshotTaker(SnapshotFiles files, WriteAheadLog log, EmbeddedStoreOptions options, ILogger logger)
{
    private readonly ILogger logger = logger;

    /// <summary>The snapshot being written, if any.</summary>
    private InProgress? current;
    private long bytesSinceSnapshot;

    public long Written { get; private set; }

    public long Failures { get; private set; }

    /// <summary>Whether one is being written.</summary>
    public bool Running => current is not null;

    /// <summary>The fsync of the finished body, once it runs (the loop wakes when it ends, to publish).</summary>
    public Task? Syncing => current?.Syncing;

    /// <summary>Whether enough WAL was committed since the last cut to start another.</summary>
    public bool Due => bytesSinceSnapshot >= options.SnapshotAfterBytes;

    /// <summary>Counts bytes the writer committed to the WAL.</summary>
    public void Committed(long bytes) => bytesSinceSnapshot += bytes;

    /// <summary>
    /// Makes everything written so far durable, rolls to a fresh WAL segment and cuts <paramref name="table"/>: the
    /// snapshot will cover every segment before that one. The jobs are written by <see cref="Continue"/> (a slice
    /// between batches) or <see cref="Finish"/>; the table keeps each job as it was at the cut until it is written.
    /// </summary>
    public bool Start(JobTable table)
    {
        if (current is not null)
        {
            return true;
        }

        var started = Stopwatch.GetTimestamp();
        PendingSnapshot? pending = null;
        try
        {
            log.Flush(sync: true);
            var covers = log.RollSegment();
            bytesSinceSnapshot = 0;
            pending = files.Begin(covers);
            current = new InProgress(pending, table, table.BeginSnapshot(pending.Body), started);
            return true;
        }
        catch (Exception ex)
        {
            table.EndSnapshot();
            pending?.Abort();
            if (!IsFileError(ex))
            {
                throw;
            }

            Failed(ex);
            return false;
        }
    }

    /// <summary>
    /// Writes the next slice; after the last, starts the file's fsync on another thread (a big file's fsync would stop
    /// the loop for as long); once that is done, publishes the snapshot.
    /// </summary>
    public void Continue()
    {
        if (current is not { } s)
        {
            return;
        }

        if (s.Syncing is { } syncing)
        {
            if (syncing.IsCompleted)
            {
                Publish(s);
            }

            return;
        }

        s.Slices++;
        try
        {
            if (s.Cut.WriteNext(options.SnapshotSliceJobs))
            {
                s.Table.EndSnapshot();
                s.Pending.FinishBody();
                s.Syncing = Task.Run(s.Pending.Sync);
            }
        }
        catch (Exception ex) when (IsFileError(ex))
        {
            Abort();
            Failed(ex);
        }
    }

    /// <summary>Writes what is left of the snapshot being written here and now, and publishes it.</summary>
    public bool Finish()
    {
        if (current is not { Syncing: null } s)
        {
            return false;
        }

        try
        {
            s.Cut.WriteNext(int.MaxValue);
            s.Table.EndSnapshot();
            s.Pending.FinishBody();
            s.Pending.Sync();
        }
        catch (Exception ex) when (IsFileError(ex))
        {
            Abort();
            Failed(ex);
            return false;
        }

        return Publish(s);
    }

    /// <summary>Gives up the snapshot being written, if any (after its fsync, if one is running): its temp file is deleted and the WAL kept.</summary>
    public void Abort()
    {
        if (current is not { } s)
        {
            return;
        }

        current = null;
        s.Table.EndSnapshot();
        try
        {
            s.Syncing?.Wait();
        }
        catch (AggregateException)
        {
            // The file is given up either way.
        }

        s.Pending.Abort();
    }

    /// <summary>The snapshot's file is synced (or its fsync failed): publishes it and deletes the WAL it covers.</summary>
    private bool Publish(InProgress s)
    {
        current = null;
        try
        {
            s.Syncing?.GetAwaiter().GetResult();
            var file = s.Pending.Publish();
            log.DeleteSegmentsBefore(s.Pending.CoversSegmentsBefore);
            Written++;
            var took = Stopwatch.GetElapsedTime(s.Started);
            StorageMetrics.SnapshotWritten(took);
            LogSnapshot(file, s.Cut.Jobs, took.TotalMilliseconds, s.Slices, s.Cut.MostPreserved);
            return true;
        }
        catch (Exception ex) when (IsFileError(ex))
        {
            s.Pending.Abort();
            Failed(ex);
            return false;
        }
    }

    /// <summary>
    /// Errors of the snapshot's own file (I/O, permissions, a handle a crash closed): the snapshot is given up and the
    /// WAL kept, the state untouched (a cut only reads it).
    /// </summary>
    private static bool IsFileError(Exception exception) =>
        exception is IOException or UnauthorizedAccessException or ObjectDisposedException;

    private void Failed(Exception exception)
    {
        Failures++;
        LogSnapshotFailed(exception);
    }

    /// <summary>
    /// A snapshot between batches: its file, the table it cut (a roll-back, which replaces the writer's table, gives
    /// the snapshot up first), the cut, and its fsync once the body is written.
    /// </summary>
    private sealed record InProgress(PendingSnapshot Pending, JobTable Table, SnapshotCut Cut, long Started)
    {
        public int Slices { get; set; }

        public Task? Syncing { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Snapshot {File} written with {Jobs} jobs in {Milliseconds:F0} ms ({Slices} slices between batches; at most {Preserved} jobs kept as they were at the cut)")]
    private partial void LogSnapshot(string file, int jobs, double milliseconds, int slices, int preserved);

    [LoggerMessage(Level = LogLevel.Error, Message = "Snapshot failed; the WAL is kept")]
    private partial void LogSnapshotFailed(Exception exception);
}
