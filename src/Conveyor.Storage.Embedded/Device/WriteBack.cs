using Microsoft.Win32.SafeHandles;

namespace Conveyor.Storage.Embedded.Device;

/// <summary>
/// Starts the write-back of a file's range without waiting for it: Linux's <c>sync_file_range</c> with
/// <c>SYNC_FILE_RANGE_WRITE</c>, which .NET has no API for (PostgreSQL's <c>checkpoint_flush_after</c> and RocksDB's
/// <c>bytes_per_sync</c> use it the same way). Elsewhere it does nothing: there the OS writes back when it will.
/// </summary>
internal static class WriteBack
{
    private const uint SyncFileRangeWrite = 2;

    /// <summary>
    /// A hint only: an error is not reported here (the file's next fsync reports what its write-back met), and a
    /// kernel or file system without the call leaves the write-back to the OS, as before.
    /// </summary>
    public static void Start(SafeFileHandle handle, long offset, long length)
    {
        if (!OperatingSystem.IsLinux() || length <= 0)
        {
            return;
        }

        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            _ = Libc.SyncFileRange((int)handle.DangerousGetHandle(), offset, length, SyncFileRangeWrite);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
