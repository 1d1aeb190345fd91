using System.Runtime.InteropServices;

namespace Conveyor.Storage.Embedded.Device;

/// <summary>
/// fsync of a directory, which .NET has no API for (File.OpenHandle refuses directories on Unix).
/// Windows needs none: NTFS journals its metadata, and directories cannot be flushed there anyway.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0; // O_RDONLY; opening a directory read-only is enough to fsync it.

    public static void Sync(string fullPath)
    {
        if (OperatingSystem.IsWindows())
            return;
        var fd = Open(fullPath, ReadOnly);
        if (fd < 0)
            throw new IOException($"cannot open directory '{fullPath}' to fsync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (FSync(fd) != 0)
                throw new IOException($"fsync of directory '{fullPath}' failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // DllImport rather than LibraryImport: the latter's generated code needs AllowUnsafeBlocks,
    // which this project does not enable. Both are Native AOT safe (the stubs are precompiled).
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int FSync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
