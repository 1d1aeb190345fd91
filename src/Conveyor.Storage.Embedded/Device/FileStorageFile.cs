using Microsoft.Win32.SafeHandles;

namespace Conveyor.Storage.Embedded.Device;

/// <summary>
/// A file opened through a raw handle: no user-space buffering, so <see cref="Write"/> is one
/// write(2) and <see cref="Sync"/> is one fsync.
/// </summary>
internal sealed class FileStorageFile : IStorageFile
{
    private readonly SafeFileHandle _handle;

    private FileStorageFile(string path, SafeFileHandle handle)
    {
        Path = path;
        _handle = handle;
        Length = RandomAccess.GetLength(handle);
    }

    public string Path { get; }

    public long Length { get; private set; }

    public static FileStorageFile Open(string relativePath, string fullPath, FileMode mode) =>
        new(relativePath, File.OpenHandle(fullPath, mode, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete));

    public void Write(ReadOnlySpan<byte> data) => WriteAt(Length, data);

    public void WriteAt(long offset, ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, Length);
        try
        {
            RandomAccess.Write(_handle, data, offset);
            Length = Math.Max(Length, offset + data.Length);
        }
        catch (IOException)
        {
            // A failed write (ENOSPC) may have written a part; the caller needs the real length.
            Length = RandomAccess.GetLength(_handle);
            throw;
        }
    }

    public void Sync() => RandomAccess.FlushToDisk(_handle);

    public void Truncate(long length)
    {
        RandomAccess.SetLength(_handle, length);
        Length = length;
    }

    public void Dispose() => _handle.Dispose();
}
