using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Conveyor.Storage.Embedded.Device;

/// <summary>
/// A freshly created, preallocated file that is only ever appended to, written around the OS page cache
/// (<c>O_DIRECT</c>): each write goes to disk as whole 4 KiB blocks from one reused, aligned buffer, the partial last
/// block kept in memory and written again, extended, by the next append. The file's bytes are exactly what buffered
/// writes would leave. What it saves is the page cache: every buffered byte lands in a page the kernel must find,
/// and on a VM that hands freed memory back to its host (free page reporting) each such page costs a fault on the host
/// first (~10× the cost of a page already mapped on the VM of docs/performance.md).
/// </summary>
/// <remarks>
/// The file reads as zeros from <see cref="end"/> on (it was created preallocated and only appended to), so the bytes
/// after an append's end inside its last block are zeros. <see cref="Truncate"/> keeps that true (past the end of file
/// reads as zeros) and forgets the kept block, which the next append reads back from disk.
/// </remarks>
internal sealed class DirectAppendFile : IStorageFile
{
    private const int Block = 4096;
    private const int ChunkBytes = 1024 * 1024;

    private readonly SafeFileHandle handle;

    /// <summary>A pinned array with an aligned window of <see cref="ChunkBytes"/> + one block at <see cref="aligned"/>.</summary>
    private readonly byte[] buffer;
    private readonly int aligned;

    /// <summary>Where the data written so far ends; the file reads as zeros from here (see remarks).</summary>
    private long end;

    /// <summary>Whether the window's first <c>end % Block</c> bytes are the file's partial last block.</summary>
    private bool tailKept;

    private DirectAppendFile(string path, SafeFileHandle handle, long length)
    {
        Path = path;
        this.handle = handle;
        Length = length;
        buffer = GC.AllocateUninitializedArray<byte>(ChunkBytes + (2 * Block), pinned: true);
        var address = Marshal.UnsafeAddrOfPinnedArrayElement(buffer, 0).ToInt64();
        aligned = (int)((Block - (address % Block)) % Block);
        tailKept = true; // end = 0: an empty tail
    }

    public string Path { get; }

    public long Length { get; private set; }

    /// <summary>
    /// Opens <paramref name="fullPath"/>, a file just created preallocated (reading as zeros), for direct appends from
    /// offset 0; null where the OS or its file system does not do direct I/O (not Linux, tmpfs, ...): the caller writes
    /// it buffered instead.
    /// </summary>
    public static DirectAppendFile? TryOpen(string path, string fullPath)
    {
        if (DirectIo.TryOpen(fullPath) is not { } handle)
        {
            return null;
        }

        try
        {
            var file = new DirectAppendFile(path, handle, RandomAccess.GetLength(handle));
            if (file.ProbeAlignment())
            {
                return file;
            }

            handle.Dispose();
            return null;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public void Write(ReadOnlySpan<byte> data) => WriteAt(Length, data);

    /// <summary>Appends at the end of the data written so far (<paramref name="offset"/> must be that end).</summary>
    public void WriteAt(long offset, ReadOnlySpan<byte> data)
    {
        if (offset != end)
        {
            throw new NotSupportedException($"'{Path}' is written by appends only: at {end}, not {offset}");
        }

        try
        {
            while (!data.IsEmpty)
            {
                var taken = Append(data);
                data = data[taken..];
            }
        }
        catch (IOException)
        {
            // A failed write (ENOSPC) may have written a part; the caller cuts back with Truncate.
            tailKept = false;
            Length = RandomAccess.GetLength(handle);
            throw;
        }
    }

    public void Sync() => RandomAccess.FlushToDisk(handle);

    /// <summary>Nothing to start: the data went to the disk with each write, and <see cref="Sync"/> flushes the device.</summary>
    public void StartWriteBack(long offset, long length)
    {
    }

    public void Truncate(long length)
    {
        RandomAccess.SetLength(handle, length);
        Length = length;
        end = Math.Min(end, length);
        tailKept = false;
    }

    public void Dispose() => handle.Dispose();

    /// <summary>
    /// Writes the zeros the fresh file already holds over its first block: a device that needs larger or other
    /// alignment than 4 KiB refuses it here, and the file is written buffered instead of failing its first record.
    /// </summary>
    private bool ProbeAlignment()
    {
        var block = buffer.AsSpan(aligned, Block);
        block.Clear();
        try
        {
            RandomAccess.Write(handle, block, 0);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException)
        {
            return false;
        }

        if (Length < Block)
        {
            RandomAccess.SetLength(handle, Length);
        }

        return true;
    }

    /// <summary>Writes as much of <paramref name="data"/> as fits the window after the kept tail; returns how much.</summary>
    private int Append(ReadOnlySpan<byte> data)
    {
        var window = buffer.AsSpan(aligned, ChunkBytes + Block);
        var blockStart = end - (end % Block);
        var head = (int)(end - blockStart);
        if (!tailKept && head > 0)
        {
            ReadBlock(blockStart, window[..Block]);
        }

        var taken = Math.Min(data.Length, ChunkBytes - head);
        data[..taken].CopyTo(window[head..]);
        var used = head + taken;
        var whole = (used + Block - 1) / Block * Block;
        window[used..whole].Clear();
        RandomAccess.Write(handle, window[..whole], blockStart);

        var newEnd = end + taken;
        if (blockStart + whole > Length)
        {
            // Past the end of file the block went whole: cut the file back to where the data ends, as a buffered write leaves it.
            RandomAccess.SetLength(handle, Math.Max(Length, newEnd));
        }

        Length = Math.Max(Length, newEnd);
        end = newEnd;

        // Keep the partial last block at the window's start for the next append.
        var kept = used % Block;
        window.Slice(used - kept, kept).CopyTo(window);
        tailKept = true;
        return taken;
    }

    /// <summary>
    /// Reads the block at <paramref name="offset"/> into <paramref name="destination"/>; past the end of file, zeros. One
    /// aligned read: a direct read returns less than asked only at the end of the file.
    /// </summary>
    private void ReadBlock(long offset, Span<byte> destination)
    {
        var read = RandomAccess.Read(handle, destination[..Block], offset);
        destination[read..Block].Clear();
    }
}
