using Conveyor.Core.Telemetry;
using Conveyor.Storage.Embedded.Log;
using Microsoft.Extensions.Logging;

namespace Conveyor.Storage.Embedded.Writer;

/// <summary>
/// The commit policy: when a batch's flush also fsyncs (<see cref="DurabilityMode"/>), and, after a flush failed, how
/// long writes are refused before the next try. Partial only for its [LoggerMessage] methods.
/// </summary>
internal sealed partial class GroupCommit(WriteAheadLog log, EmbeddedStoreOptions options, TimeProvider time, ILogger logger)
{
    private readonly ILogger logger = logger;
    private long lastSyncTimestamp = time.GetTimestamp();
    private long refuseWritesUntil;

    /// <summary>Why the last flush failed, while writes are refused or until one succeeds; null otherwise.</summary>
    public string? UnavailableReason { get; private set; }

    /// <summary>Whether a write must be refused now (a flush failed less than the retry interval ago).</summary>
    public bool RefusingWrites => UnavailableReason is not null && time.GetTimestamp() < refuseWritesUntil;

    /// <summary>How long until interval mode owes an fsync (zero or less: now).</summary>
    public TimeSpan UntilSyncDue => options.SyncInterval - time.GetElapsedTime(lastSyncTimestamp);

    /// <summary>Writes the pending records (fsyncing them when the mode asks); false, and writes refused for a while, if that failed.</summary>
    public bool TryCommit()
    {
        // Interval mode fsyncs when idle (the writer's wait), and here when the interval ran out while busy:
        // under steady load the loop never idles, and "the last ~50 ms" must stay true then too.
        var sync = options.Durability == DurabilityMode.Sync
            || (options.Durability == DurabilityMode.Interval && time.GetElapsedTime(lastSyncTimestamp) >= options.SyncInterval);
        var started = time.GetTimestamp();
        try
        {
            log.Flush(sync);
        }
        catch (IOException ex)
        {
            Refuse(ex);
            return false;
        }

        StorageMetrics.Flushed(time.GetElapsedTime(started), sync);
        if (sync)
        {
            lastSyncTimestamp = time.GetTimestamp();
        }

        if (UnavailableReason is not null)
        {
            LogWritesResumed();
            UnavailableReason = null;
        }

        return true;
    }

    /// <summary>Writes the pending records without an fsync (sync mode's pipelined commit: <see cref="SyncWritten"/> follows, off the loop); false, and writes refused for a while, if that failed.</summary>
    public bool TryWrite()
    {
        try
        {
            log.Flush(sync: false);
            return true;
        }
        catch (IOException ex)
        {
            Refuse(ex);
            return false;
        }
    }

    /// <summary>fsyncs what <see cref="TryWrite"/> wrote; runs off the loop, and throws <see cref="IOException"/> on failure.</summary>
    public void SyncWritten()
    {
        var started = time.GetTimestamp();
        log.SyncWritten();
        StorageMetrics.Flushed(time.GetElapsedTime(started), true);
    }

    /// <summary>Back on the loop after <see cref="SyncWritten"/>: notes how it went (a failure refuses writes for a while).</summary>
    public void Synced(IOException? error)
    {
        if (error is not null)
        {
            Refuse(error);
            return;
        }

        lastSyncTimestamp = time.GetTimestamp();
        if (UnavailableReason is not null)
        {
            LogWritesResumed();
            UnavailableReason = null;
        }
    }

    private void Refuse(IOException ex)
    {
        UnavailableReason = ex.Message;
        refuseWritesUntil = time.GetTimestamp() + (long)(options.WriteRetryInterval.TotalSeconds * time.TimestampFrequency);
        LogWriteFailed(ex, options.WriteRetryInterval.TotalMilliseconds);
    }

    /// <summary>Flushes and fsyncs what is pending, logging (not throwing) a failure: idle interval syncs and close.</summary>
    public void SyncQuietly()
    {
        try
        {
            log.Flush(sync: true);
            lastSyncTimestamp = time.GetTimestamp();
        }
        catch (IOException ex)
        {
            LogWriteFailed(ex, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The WAL could not be written; writes are refused for {RetryMs} ms and the state was reloaded from disk")]
    private partial void LogWriteFailed(Exception exception, double retryMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The WAL is writable again; writes resumed")]
    private partial void LogWritesResumed();
}
