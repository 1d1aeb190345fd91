namespace Conveyor.Storage.Embedded.Device;

/// <summary>Another process (or another store in this one) already holds the data directory's <c>LOCK</c> file.</summary>
public sealed class DataDirectoryLockedException : IOException
{
    public DataDirectoryLockedException()
        : base("the data directory is locked by another process")
    {
    }

    public DataDirectoryLockedException(string message)
        : base(message)
    {
    }

    public DataDirectoryLockedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal static DataDirectoryLockedException For(string directory, Exception? cause = null)
    {
        var message = $"data directory '{directory}' is locked: another Conveyor server (or store) holds its LOCK file";
        return cause is null ? new DataDirectoryLockedException(message) : new DataDirectoryLockedException(message, cause);
    }
}
