using System.Diagnostics;
using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.Log;
using Conveyor.Storage.Embedded.Snapshots;
using Conveyor.Storage.Embedded.State;
using Microsoft.Extensions.Logging;

namespace Conveyor.Storage.Embedded.Writer;

/// <summary>Rebuilds the state from disk: the newest snapshot, then every WAL record after it.</summary>
internal static partial class StoreRecovery
{
    public static (JobTable Table, WriteAheadLog Log) Recover(
        IStorageDevice device, SnapshotFiles snapshots, WalOptions walOptions, ILogger logger)
    {
        var started = Stopwatch.GetTimestamp();
        var snapshot = snapshots.TryLoadLatest();
        JobTable table;
        try
        {
            table = snapshot is null ? new JobTable() : SnapshotCodec.Read(snapshot.Body);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"snapshot {snapshot!.FileName} cannot be read: {ex.Message}", ex);
        }

        var fromSegment = snapshot?.CoversSegmentsBefore ?? 0;
        var log = WriteAheadLog.Open(device, walOptions, logger, fromSegment, (type, payload) =>
            table.Apply(EventCodec.Decode(type, payload)));
        LogRecovered(
            logger, table.JobCount, snapshot?.FileName ?? "(none)", log.RecoveredRecords,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return (table, log);
    }

    /// <summary>
    /// Rebuilds the state from the newest snapshot and what the open log has committed, writing nothing
    /// (used after a failed flush, when the disk may refuse every write and fsync).
    /// </summary>
    public static JobTable Reload(SnapshotFiles snapshots, WriteAheadLog log)
    {
        var snapshot = snapshots.TryLoadLatest();
        var table = snapshot is null ? new JobTable() : SnapshotCodec.Read(snapshot.Body);
        log.ReplayCommitted(snapshot?.CoversSegmentsBefore ?? 0, (type, payload) => table.Apply(EventCodec.Decode(type, payload)));
        return table;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovered {Jobs} jobs from snapshot {Snapshot} and {Records} WAL records in {Milliseconds:F0} ms")]
    private static partial void LogRecovered(ILogger logger, int jobs, string snapshot, long records, double milliseconds);
}
