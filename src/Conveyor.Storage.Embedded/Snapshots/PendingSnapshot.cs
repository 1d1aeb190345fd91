using Conveyor.Storage.Embedded.Log;

namespace Conveyor.Storage.Embedded.Snapshots;

/// <summary>
/// A snapshot file being written: its body streams into <see cref="Body"/> (to a temp file) for as long as the
/// writer needs; then <see cref="FinishBody"/>, <see cref="Sync"/> (which may run on another thread) and
/// <see cref="Publish"/> make it the newest snapshot, or <see cref="Abort"/> deletes it.
/// </summary>
internal sealed class PendingSnapshot
{
    private readonly SnapshotFiles files;
    private readonly Device.IStorageFile file;
    private readonly SnapshotBodyWriter body;
    private bool finished;
    private bool published;

    internal PendingSnapshot(SnapshotFiles files, Device.IStorageFile file, long coversSegmentsBefore, string tempPath)
    {
        this.files = files;
        this.file = file;
        CoversSegmentsBefore = coversSegmentsBefore;
        TempPath = tempPath;
        body = new SnapshotBodyWriter(file);
    }

    /// <summary>The WAL segments the snapshot replaces: those before this index.</summary>
    public long CoversSegmentsBefore { get; }

    public string TempPath { get; }

    /// <summary>Where the body is written.</summary>
    public PayloadBuffer Body => body;

    /// <summary>The body is all written: writes out what is buffered, then the header.</summary>
    public void FinishBody()
    {
        ObjectDisposedException.ThrowIf(finished, this);
        body.Complete();
        Span<byte> header = stackalloc byte[SnapshotFormat.HeaderSize];
        SnapshotFormat.WriteHeader(header, CoversSegmentsBefore, body.Length, body.Crc);
        file.WriteAt(0, header);
    }

    /// <summary>fsyncs the finished file: the slow part, which may run on another thread (nothing else touches the file meanwhile).</summary>
    public void Sync() => file.Sync();

    /// <summary>After <see cref="Sync"/>: closes the file and makes it the newest snapshot. Returns its path.</summary>
    public string Publish()
    {
        Close();
        var path = files.Publish(TempPath, CoversSegmentsBefore);
        published = true;
        return path;
    }

    /// <summary>
    /// Gives the snapshot up: the temp file is closed and deleted (a leftover one is ignored and deleted at start-up).
    /// Once published the snapshot stays (a failure after that, deleting old WAL segments, costs nothing but disk).
    /// </summary>
    public void Abort()
    {
        Close();
        if (!published)
        {
            files.TryDelete(TempPath);
        }
    }

    private void Close()
    {
        if (finished)
        {
            return;
        }

        finished = true;
        body.Dispose();
        file.Dispose();
    }
}
