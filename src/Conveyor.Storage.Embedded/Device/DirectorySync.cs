using System.Runtime.InteropServices;

namespace Conveyor.Storage.Embedded.Device;

/// <summary>
/// fsync of a directory, which .NET has no API for (File.OpenHandle refuses directories on Unix).
/// Windows needs none: NTFS journals its metadata, and directories cannot be flushed there anyway.
/// </summary>
public static class DirectorySync
{
    /// <summary>fsyncs the directory <paramref name="fullPath"/>, so a rename inside it survives a power cut.</summary>
    public static void Sync(string fullPath)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Libc.Open(fullPath, Libc.ReadOnly); // read-only is enough to fsync a directory
        if (fd < 0)
        {
            throw new IOException($"cannot open directory '{fullPath}' to fsync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Libc.FSync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{fullPath}' failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Libc.Close(fd);
        }
    }
}
