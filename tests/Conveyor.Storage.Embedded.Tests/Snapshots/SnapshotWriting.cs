using Conveyor.Storage.Embedded.Log;
using Conveyor.Storage.Embedded.Snapshots;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Tests.Snapshots;

/// <summary>A whole snapshot at once, from the same steps the writer takes over many turns of its loop.</summary>
internal static class SnapshotWriting
{
    /// <summary>Begin, the body, finish, fsync, publish; on any failure the snapshot is given up (temp file deleted).</summary>
    public static string Write(this SnapshotFiles files, long coversSegmentsBefore, Action<PayloadBuffer> writeBody)
    {
        var pending = files.Begin(coversSegmentsBefore);
        try
        {
            writeBody(pending.Body);
            pending.FinishBody();
            pending.Sync();
            return pending.Publish();
        }
        catch
        {
            pending.Abort();
            throw;
        }
    }

    /// <summary>The table's whole state, written at once (a cut written to its end).</summary>
    public static void WriteSnapshot(this JobTable table, PayloadBuffer output)
    {
        try
        {
            table.BeginSnapshot(output).WriteNext(int.MaxValue);
        }
        finally
        {
            table.EndSnapshot();
        }
    }
}
