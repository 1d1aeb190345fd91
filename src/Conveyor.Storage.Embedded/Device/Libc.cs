using System.Runtime.InteropServices;

namespace Conveyor.Storage.Embedded.Device;

/// <summary>
/// The few Linux/Unix calls .NET has no API for (fsync of a directory, <c>O_DIRECT</c>, <c>sync_file_range</c>), in one
/// place. DllImport rather than LibraryImport: the latter's generated code needs AllowUnsafeBlocks, which this project
/// does not enable. Both are Native AOT safe (the stubs are precompiled).
/// </summary>
internal static class Libc
{
    public const int ReadOnly = 0; // O_RDONLY
    public const int ReadWrite = 2; // O_RDWR
    public const int CloseOnExec = 0x80000; // O_CLOEXEC

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static extern int FSync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    public static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    public static extern int SyncFileRange(int fd, long offset, long nbytes, uint flags);
}
