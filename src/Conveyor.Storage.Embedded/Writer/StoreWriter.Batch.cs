using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Operations;
using Microsoft.Extensions.Logging;

namespace Conveyor.Storage.Embedded.Writer;

/// <summary>Running one batch: execute, group-commit, complete; or, on a write failure, roll back.</summary>
internal sealed partial class StoreWriter
{
    private void RunBatch()
    {
        done.Clear();
        for (var i = 0; i < batch.Count; i++)
        {
            done.Add(false);
        }

        if (broken is not null)
        {
            FailUnfinished(broken);
            return;
        }

        try
        {
            Execute();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug or an unexpected I/O error: the loop must survive it and answer every caller.
            Stop(ex, "the writer loop");
        }
    }

    /// <summary>
    /// Fail-stop: an operation threw after it began changing the state, so memory may hold part of a change the log
    /// does not, and no later answer from it could be trusted. The batch's records are dropped unwritten (the earlier
    /// operations of the batch were not answered yet, so they fail too), every waiting fetch and every later call is
    /// refused, and nothing is flushed or snapshotted again; a restart rebuilds the state from the log. Chosen over an
    /// atomic apply, which would need an undo for every event type on the hot path for what is always a bug.
    /// </summary>
    private void Stop(Exception error, string operation)
    {
        broken = new StorageUnavailableException($"the store stopped after an internal error in {operation}; restart the server to recover from the log", error);
        LogStopped(error, operation);
        log.DiscardPending();
        AbortSnapshot();
        FailUnfinished(broken);
        foreach (var fetch in context.Parked)
        {
            fetch.Fail(broken);
        }

        context.Parked.Clear();
    }

    private void Execute()
    {
        context.Now = settings.Time.GetUtcNow().UtcTicks;
        context.ClearNotifications();
        var refusing = unavailableReason is not null && settings.Time.GetTimestamp() < refuseWritesUntil;
        for (var i = 0; i < batch.Count; i++)
        {
            var command = batch[i];
            if (refusing && command.IsWrite)
            {
                command.Fail(new StorageUnavailableException($"writes are refused: {unavailableReason}"));
                done[i] = true;
                continue;
            }

            context.BeginOperation();
            try
            {
                command.Execute(context);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (context.Emitted)
                {
                    Stop(ex, command.GetType().Name);
                    return;
                }

                // Nothing was changed yet: only this caller is answered with the error.
                LogOperationFailed(ex, command.GetType().Name);
                command.Fail(ex);
                done[i] = true;
            }
        }

        ServeParked();
        if (broken is not null)
        {
            return;
        }

        if (log.PendingRecords > 0 && !TryCommit())
        {
            RollBack();
            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (!done[i])
            {
                batch[i].Complete();
            }
        }

        if (bytesSinceSnapshot >= options.SnapshotAfterBytes)
        {
            StartSnapshot();
        }
    }

    /// <summary>
    /// Leases to the waiting fetches (oldest first) whose queues this batch made available, so their leases
    /// are committed with the batch and they are answered with its callers; drops those whose caller gave up.
    /// </summary>
    private void ServeParked()
    {
        var parked = context.Parked;
        if (parked.Count == 0 || context.AvailableQueues.Count == 0)
        {
            return;
        }

        var kept = 0;
        for (var i = 0; i < parked.Count; i++)
        {
            var fetch = parked[i];
            if (fetch.IsDone)
            {
                continue;
            }

            if (!fetch.CanLease(context.Table))
            {
                parked[kept++] = fetch;
                continue;
            }

            context.BeginOperation();
            try
            {
                if (fetch.TryServe(context))
                {
                    // A fetch parked earlier in this batch is answered once: completion is idempotent.
                    batch.Add(fetch);
                    done.Add(false);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (context.Emitted)
                {
                    Stop(ex, nameof(FetchOperation));
                    return;
                }

                LogOperationFailed(ex, nameof(FetchOperation));
                fetch.Fail(ex);
            }
        }

        parked.RemoveRange(kept, parked.Count - kept);
    }

    /// <summary>Answers every waiting fetch empty (the store is closing).</summary>
    private void EndParked()
    {
        foreach (var fetch in context.Parked)
        {
            fetch.EndWait();
        }

        context.Parked.Clear();
    }

    private bool TryCommit()
    {
        var bytes = log.PendingBytes;

        // Interval mode fsyncs when idle (WaitForWorkAsync's timer), and here when the interval ran out while busy:
        // under steady load the loop never idles, and "the last ~50 ms" must stay true then too.
        var sync = options.Durability == DurabilityMode.Sync
            || (options.Durability == DurabilityMode.Interval && settings.Time.GetElapsedTime(lastSyncTimestamp) >= options.SyncInterval);
        try
        {
            log.Flush(sync);
        }
        catch (IOException ex)
        {
            unavailableReason = ex.Message;
            refuseWritesUntil = settings.Time.GetTimestamp() + (long)(options.WriteRetryInterval.TotalSeconds * settings.Time.TimestampFrequency);
            LogWriteFailed(ex, options.WriteRetryInterval.TotalMilliseconds);
            return false;
        }

        if (sync)
        {
            lastSyncTimestamp = settings.Time.GetTimestamp();
        }

        bytesSinceSnapshot += bytes;
        if (unavailableReason is not null)
        {
            LogWritesResumed();
            unavailableReason = null;
        }

        return true;
    }

    /// <summary>
    /// The batch's records did not become durable: rebuild the state from disk, fail the batch's writes
    /// and answer its reads against the rebuilt state.
    /// </summary>
    private void RollBack()
    {
        var error = new StorageUnavailableException($"the write could not be made durable: {unavailableReason}");
        AbortSnapshot();
        try
        {
            context.Table = StoreRecovery.Reload(snapshots, log);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // Memory may now hold changes the disk does not; nothing can be answered truthfully.
            broken = new StorageUnavailableException($"the store could not reload its state after a failed write and must be restarted: {ex.Message}", ex);
            LogBroken(ex);
            FailUnfinished(broken);
            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (done[i])
            {
                continue;
            }

            var command = batch[i];
            if (command.IsWrite)
            {
                command.Fail(error);
                continue;
            }

            try
            {
                command.Execute(context);
                command.Complete();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                command.Fail(ex);
            }
        }
    }

    private void FailUnfinished(Exception error)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (!done[i])
            {
                batch[i].Fail(error);
            }
        }
    }

    private void SyncQuietly()
    {
        if (broken is not null)
        {
            // The pending records were dropped and the log is not to be touched again.
            return;
        }

        try
        {
            log.Flush(sync: true);
            lastSyncTimestamp = settings.Time.GetTimestamp();
        }
        catch (IOException ex)
        {
            LogWriteFailed(ex, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Store operation {Operation} failed")]
    private partial void LogOperationFailed(Exception exception, string operation);

    [LoggerMessage(Level = LogLevel.Error, Message = "The WAL could not be written; writes are refused for {RetryMs} ms and the state was reloaded from disk")]
    private partial void LogWriteFailed(Exception exception, double retryMs);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The embedded store stopped answering; restart the server to recover from disk")]
    private partial void LogBroken(Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The embedded store stopped after an internal error in {Operation}; nothing of its batch was written, and every later call is refused until a restart recovers from the log")]
    private partial void LogStopped(Exception exception, string operation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The WAL is writable again; writes resumed")]
    private partial void LogWritesResumed();
}
