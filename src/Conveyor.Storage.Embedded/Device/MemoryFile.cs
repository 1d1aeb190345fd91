namespace Conveyor.Storage.Embedded.Device;

/// <summary>
/// The bytes of one in-memory file, how many of them are durable, and how long the file was at its
/// last sync. Durable bytes are a prefix: any change below the durable length (truncate, overwrite)
/// pulls it down to the change. Bytes past what was ever written read as zeros and take no memory,
/// so a preallocated file costs only what is written into it.
/// </summary>
internal sealed class MemoryFile
{
    private byte[] buffer = [];

    /// <summary>Bytes of <see cref="buffer"/> that may be non-zero; everything after them is zero.</summary>
    private int storedBytes;

    /// <summary>The file's length at its last sync: what a crash cannot shorten it below (preallocated space stays allocated).</summary>
    private long syncedLength;

    public long Length { get; private set; }

    public long DurableLength { get; private set; }

    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        var end = checked((int)(offset + data.Length));
        if (end > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(end, buffer.Length * 2));
        }

        data.CopyTo(buffer.AsSpan((int)offset));
        storedBytes = Math.Max(storedBytes, end);
        Length = Math.Max(Length, end);
        DurableLength = Math.Min(DurableLength, offset);
    }

    /// <summary>Cuts the file to <paramref name="length"/> bytes or extends it with zeros.</summary>
    public void Truncate(long length)
    {
        if (length < storedBytes)
        {
            buffer.AsSpan((int)length, storedBytes - (int)length).Clear();
            storedBytes = (int)length;
        }
        Length = length;
        DurableLength = Math.Min(DurableLength, length);
        syncedLength = Math.Min(syncedLength, length);
    }

    public void Sync()
    {
        DurableLength = Length;
        syncedLength = Length;
    }

    /// <summary>Copies the bytes at <paramref name="offset"/> into <paramref name="destination"/>; returns how many (fewer only at end of file).</summary>
    public int Read(long offset, Span<byte> destination)
    {
        if (offset >= Length)
        {
            return 0;
        }

        var count = (int)Math.Min(destination.Length, Length - offset);
        var stored = (int)Math.Clamp(storedBytes - offset, 0, count);
        if (stored > 0)
        {
            buffer.AsSpan((int)offset, stored).CopyTo(destination);
        }

        destination[stored..count].Clear();
        return count;
    }

    public byte[] ToArray()
    {
        var bytes = new byte[checked((int)Length)];
        Read(0, bytes);
        return bytes;
    }

    /// <summary>
    /// What a crash leaves: the durable bytes plus, to model a torn write, up to <paramref name="keepUnsyncedBytes"/>
    /// more; the rest of the length the last sync made durable reads as zeros again (an overwrite of preallocated
    /// space that never reached the disk).
    /// </summary>
    public void Crash(int keepUnsyncedBytes)
    {
        var kept = Math.Min(Length, DurableLength + keepUnsyncedBytes);
        var length = Math.Max(kept, Math.Min(syncedLength, Length));
        Truncate(kept);
        Truncate(length);
        Sync();
    }

    /// <summary>
    /// What a power cut leaves: the durable bytes, and of the unsynced ones only the <paramref name="pageSize"/>-byte
    /// pages (by file offset) <paramref name="keepsPage"/> says reached the disk, in any order; a lost page reads as
    /// zeros. The file keeps the length of its last sync, or up to the last page kept if that is longer.
    /// </summary>
    public void PowerCut(Func<long, bool> keepsPage, int pageSize)
    {
        var durable = DurableLength;
        var keptEnd = durable;
        for (var page = durable / pageSize * pageSize; page < Length; page += pageSize)
        {
            var from = Math.Max(page, durable);
            var to = Math.Min(page + pageSize, Length);
            if (keepsPage(page))
            {
                keptEnd = to;
            }
            else if (from < storedBytes)
            {
                buffer.AsSpan((int)from, (int)Math.Min(to, storedBytes) - (int)from).Clear();
            }
        }
        Truncate(Math.Max(keptEnd, Math.Min(syncedLength, Length)));
        Sync();
    }
}
