using Microsoft.Win32.SafeHandles;

namespace Conveyor.Storage.Embedded.Device;

/// <summary>
/// A file opened through a raw handle: no user-space buffering, so <see cref="Write"/> is one
/// write(2) and <see cref="Sync"/> is one fsync.
/// </summary>
internal sealed class FileStorageFile : IStorageFile
{
    private readonly SafeFileHandle handle;

    private FileStorageFile(string path, SafeFileHandle handle)
    {
        Path = path;
        this.handle = handle;
        Length = RandomAccess.GetLength(handle);
    }

    public string Path { get; }

    public long Length { get; private set; }

    public static FileStorageFile Open(string relativePath, string fullPath, FileMode mode) =>
        new(relativePath, File.OpenHandle(fullPath, mode, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete));

    /// <summary>
    /// Creates the file with <paramref name="length"/> bytes allocated (fallocate, which .NET asks for with
    /// FALLOC_FL_KEEP_SIZE) and then extends it to that length, so the allocated blocks are inside the file.
    /// Without the space (disk full, file too large) it creates the file empty.
    /// </summary>
    public static FileStorageFile CreatePreallocated(string relativePath, string fullPath, long length)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(fullPath, FileMode.Create, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, FileOptions.None, length);
        }
        catch (IOException)
        {
            return Open(relativePath, fullPath, FileMode.Create);
        }

        try
        {
            RandomAccess.SetLength(handle, length);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        return new FileStorageFile(relativePath, handle);
    }

    public void Write(ReadOnlySpan<byte> data) => WriteAt(Length, data);

    public void WriteAt(long offset, ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, Length);
        try
        {
            RandomAccess.Write(handle, data, offset);
            Length = Math.Max(Length, offset + data.Length);
        }
        catch (IOException)
        {
            // A failed write (ENOSPC) may have written a part; the caller needs the real length.
            Length = RandomAccess.GetLength(handle);
            throw;
        }
    }

    public void Sync() => RandomAccess.FlushToDisk(handle);

    public void StartWriteBack(long offset, long length) => WriteBack.Start(handle, offset, length);

    public void Truncate(long length)
    {
        RandomAccess.SetLength(handle, length);
        Length = length;
    }

    public void Dispose() => handle.Dispose();
}
