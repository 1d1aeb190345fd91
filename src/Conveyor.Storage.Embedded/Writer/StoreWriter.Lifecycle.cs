using System.Diagnostics;
using Conveyor.Storage.Embedded.Operations;
using Conveyor.Storage.Embedded.Snapshots;
using Conveyor.Storage.Embedded.State;
using Microsoft.Extensions.Logging;

namespace Conveyor.Storage.Embedded.Writer;

/// <summary>Snapshots and shutdown.</summary>
internal sealed partial class StoreWriter
{
    /// <summary>The snapshot the loop is writing a slice at a time between batches, if any.</summary>
    private SnapshotInProgress? snapshotting;
    private long snapshotsWritten;
    private long snapshotFailures;

    /// <summary>Takes a snapshot on the writer loop (between batches) and waits for it.</summary>
    public Task<bool> SnapshotAsync()
    {
        var command = new SnapshotOperation(this);
        return channel.Writer.TryWrite(command)
            ? command.Completion.Task
            : Task.FromException<bool>(new ObjectDisposedException(nameof(EmbeddedJobStore), "the store is closed"));
    }

    /// <summary>
    /// Writes the whole state to a new snapshot at once, on the loop (a background one in progress is given up:
    /// this one covers more). Used on request and at close.
    /// </summary>
    internal bool TrySnapshot()
    {
        AbortSnapshot();
        if (broken is not null)
        {
            // The state may be half-changed: no snapshot is taken from it.
            return false;
        }

        return StartSnapshot() && FinishSnapshot();
    }

    /// <summary>
    /// Makes everything written so far durable, rolls to a fresh WAL segment and cuts the state: the snapshot will
    /// cover every segment before that one. The jobs are written by <see cref="ContinueSnapshot"/> (a slice between
    /// batches) or <see cref="FinishSnapshot"/>; the table keeps each job as it was at the cut until it is written.
    /// </summary>
    private bool StartSnapshot()
    {
        if (snapshotting is not null)
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
            pending = snapshots.Begin(covers);
            snapshotting = new SnapshotInProgress(pending, context.Table.BeginSnapshot(pending.Body), started);
            return true;
        }
        catch (Exception ex)
        {
            context.Table.EndSnapshot();
            pending?.Abort();
            if (!IsSnapshotFileError(ex))
            {
                throw;
            }

            SnapshotFailed(ex);
            return false;
        }
    }

    /// <summary>
    /// Writes the next slice of the snapshot in progress; after its last, starts the file's fsync on another thread
    /// (a big file's fsync would stop the loop for as long); once that is done, makes the snapshot the newest and
    /// deletes the WAL it covers.
    /// </summary>
    private void ContinueSnapshot()
    {
        if (snapshotting is not { } s)
        {
            return;
        }

        if (broken is not null)
        {
            // The state may be half-changed by the failure: no snapshot is taken from it.
            AbortSnapshot();
            return;
        }

        if (s.Syncing is { } syncing)
        {
            if (syncing.IsCompleted)
            {
                PublishSnapshot(s);
            }

            return;
        }

        s.Slices++;
        try
        {
            if (s.Cut.WriteNext(options.SnapshotSliceJobs))
            {
                context.Table.EndSnapshot();
                s.Pending.FinishBody();
                s.Syncing = Task.Run(s.Pending.Sync);
            }
        }
        catch (Exception ex) when (IsSnapshotFileError(ex))
        {
            AbortSnapshot();
            SnapshotFailed(ex);
        }
    }

    /// <summary>Writes what is left of the snapshot in progress here and now, makes it the newest and deletes the WAL it covers.</summary>
    private bool FinishSnapshot()
    {
        if (snapshotting is not { Syncing: null } s)
        {
            return false;
        }

        try
        {
            s.Cut.WriteNext(int.MaxValue);
            context.Table.EndSnapshot();
            s.Pending.FinishBody();
            s.Pending.Sync();
        }
        catch (Exception ex) when (IsSnapshotFileError(ex))
        {
            AbortSnapshot();
            SnapshotFailed(ex);
            return false;
        }

        return PublishSnapshot(s);
    }

    /// <summary>The snapshot's file is synced (or its fsync failed): publishes it and deletes the WAL it covers.</summary>
    private bool PublishSnapshot(SnapshotInProgress s)
    {
        snapshotting = null;
        try
        {
            s.Syncing?.GetAwaiter().GetResult();
            var file = s.Pending.Publish();
            log.DeleteSegmentsBefore(s.Pending.CoversSegmentsBefore);
            snapshotsWritten++;
            LogSnapshot(file, s.Cut.Jobs, Stopwatch.GetElapsedTime(s.Started).TotalMilliseconds, s.Slices, s.Cut.MostPreserved);
            return true;
        }
        catch (Exception ex) when (IsSnapshotFileError(ex))
        {
            s.Pending.Abort();
            SnapshotFailed(ex);
            return false;
        }
    }

    /// <summary>Gives up the snapshot in progress, if any (after its fsync, if one is running): its temp file is deleted and the WAL kept.</summary>
    private void AbortSnapshot()
    {
        if (snapshotting is not { } s)
        {
            return;
        }

        snapshotting = null;
        context.Table.EndSnapshot();
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

    /// <summary>
    /// Errors of the snapshot's own file (I/O, permissions, a handle a crash closed): the snapshot is given up and the
    /// WAL kept, the state untouched (a cut only reads it).
    /// </summary>
    private static bool IsSnapshotFileError(Exception exception) =>
        exception is IOException or UnauthorizedAccessException or ObjectDisposedException;

    private void SnapshotFailed(Exception exception)
    {
        snapshotFailures++;
        LogSnapshotFailed(exception);
    }

    public async ValueTask DisposeAsync()
    {
        channel.Writer.TryComplete();
        await loop.ConfigureAwait(false);
        if (options.SnapshotOnClose)
        {
            TrySnapshot();
        }
        else
        {
            AbortSnapshot();
            SyncQuietly();
        }

        log.Dispose();
    }

    /// <summary>
    /// A snapshot between batches: its file, the cut of the table (always <c>context.Table</c>: a roll-back, which
    /// replaces the table, gives the snapshot up first), and its fsync once the body is written.
    /// </summary>
    private sealed record SnapshotInProgress(PendingSnapshot Pending, SnapshotCut Cut, long Started)
    {
        public int Slices { get; set; }

        public Task? Syncing { get; set; }
    }

    /// <summary>A snapshot request queued like any command, so it runs between batches, never inside one.</summary>
    private sealed class SnapshotOperation(StoreWriter writer) : StoreOperation
    {
        public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run() => Completion.TrySetResult(writer.TrySnapshot());

        public override void Execute(OperationContext context) => throw new InvalidOperationException("snapshots run between batches");

        public override void Complete()
        {
        }

        public override void Fail(Exception error) => Completion.TrySetException(error);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Snapshot {File} written with {Jobs} jobs in {Milliseconds:F0} ms ({Slices} slices between batches; at most {Preserved} jobs kept as they were at the cut)")]
    private partial void LogSnapshot(string file, int jobs, double milliseconds, int slices, int preserved);

    [LoggerMessage(Level = LogLevel.Error, Message = "Snapshot failed; the WAL is kept")]
    private partial void LogSnapshotFailed(Exception exception);
}
