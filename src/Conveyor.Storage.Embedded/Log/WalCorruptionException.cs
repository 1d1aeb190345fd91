namespace Conveyor.Storage.Embedded.Log;

/// <summary>
/// The write-ahead log is damaged somewhere other than its torn tail, so opening it would lose
/// acknowledged data. Start-up stops; <see cref="FileName"/> and <see cref="Offset"/> say where.
/// </summary>
public sealed class WalCorruptionException : Exception
{
    public WalCorruptionException()
        : this("the write-ahead log is corrupt")
    {
    }

    public WalCorruptionException(string message)
        : base(message)
    {
        FileName = "";
    }

    public WalCorruptionException(string message, Exception innerException)
        : base(message, innerException)
    {
        FileName = "";
    }

    public WalCorruptionException(string fileName, long offset, string reason)
        : base($"WAL corruption in '{fileName}' at byte offset {offset}: {reason}. "
            + "This is not a torn last write, so cutting the log there could lose acknowledged data; refusing to start "
            + "(docs/operations.md, \"Recovery\", says what an operator can do).")
    {
        FileName = fileName;
        Offset = offset;
    }

    /// <summary>The damaged file, relative to the data directory (for example <c>wal/00000000000000000003.wal</c>).</summary>
    public string FileName { get; }

    /// <summary>Byte offset of the damage inside <see cref="FileName"/>.</summary>
    public long Offset { get; }
}
