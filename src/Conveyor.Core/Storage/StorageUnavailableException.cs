namespace Conveyor.Core.Storage;

/// <summary>
/// A write could not be made durable (disk full, I/O error, database down). Nothing of the refused
/// write was applied; reads keep working; writes resume when the cause goes away.
/// </summary>
public sealed class StorageUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageUnavailableException()
        : base("storage is unavailable")
    {
    }

    /// <summary>Creates the exception with a reason.</summary>
    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a reason and its cause.</summary>
    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
