namespace Conveyor.Storage.Embedded.Snapshots;

/// <summary>
/// The newest snapshot is damaged. Start-up stops rather than fall back to an older one, because
/// the WAL segments that older snapshot would need may already be deleted.
/// </summary>
public sealed class SnapshotCorruptionException : Exception
{
    public SnapshotCorruptionException()
        : this("the snapshot is corrupt")
    {
    }

    public SnapshotCorruptionException(string message)
        : base(message)
    {
        FileName = "";
    }

    public SnapshotCorruptionException(string message, Exception innerException)
        : base(message, innerException)
    {
        FileName = "";
    }

    private SnapshotCorruptionException(string message, string fileName)
        : base(message)
    {
        FileName = fileName;
    }

    /// <summary>The damaged file, relative to the data directory.</summary>
    public string FileName { get; }

    internal static SnapshotCorruptionException For(string fileName, string reason) =>
        new($"snapshot '{fileName}' is corrupt: {reason}; refusing to start (an older snapshot may not have the WAL it needs)", fileName);
}
