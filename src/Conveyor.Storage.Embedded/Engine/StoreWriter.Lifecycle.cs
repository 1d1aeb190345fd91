using System.Diagnostics;
using Conveyor.Storage.Embedded.Commands;
using Microsoft.Extensions.Logging;

namespace Conveyor.Storage.Embedded.Engine;

/// <summary>Snapshots and shutdown.</summary>
internal sealed partial class StoreWriter
{
    /// <summary>Takes a snapshot on the writer loop (between batches) and waits for it.</summary>
    public Task<bool> SnapshotAsync()
    {
        var command = new SnapshotCommand(this);
        return channel.Writer.TryWrite(command)
            ? command.Completion.Task
            : Task.FromException<bool>(new ObjectDisposedException(nameof(EmbeddedJobStore), "the store is closed"));
    }

    /// <summary>
    /// Writes the whole state to a new snapshot that covers every WAL segment before a freshly rolled one,
    /// then deletes those segments. Runs on the loop, so the state cannot change underneath it.
    /// </summary>
    internal bool TrySnapshot()
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            log.Flush(sync: true);
            var covers = log.RollSegment();
            var file = snapshots.Write(covers, context.Table.WriteSnapshot);
            log.DeleteSegmentsBefore(covers);
            bytesSinceSnapshot = 0;
            LogSnapshot(file, context.Table.JobCount, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return true;
        }
        catch (IOException ex)
        {
            LogSnapshotFailed(ex);
            return false;
        }
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
            SyncQuietly();
        }

        log.Dispose();
    }

    /// <summary>A snapshot request queued like any command, so it runs between batches, never inside one.</summary>
    private sealed class SnapshotCommand(StoreWriter writer) : StoreCommand
    {
        public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run() => Completion.TrySetResult(writer.TrySnapshot());

        public override void Execute(CommandContext context) => throw new InvalidOperationException("snapshots run between batches");

        public override void Complete()
        {
        }

        public override void Fail(Exception error) => Completion.TrySetException(error);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Snapshot {File} written with {Jobs} jobs in {Milliseconds:F0} ms")]
    private partial void LogSnapshot(string file, int jobs, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Snapshot failed; the WAL is kept")]
    private partial void LogSnapshotFailed(Exception exception);
}
