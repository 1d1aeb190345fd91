using System.Buffers.Binary;
using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Log;

namespace Conveyor.Storage.Embedded.Snapshots;

/// <summary>
/// Writes and loads snapshot files in <c>snap/</c>. A snapshot is written to a temp file, fsynced,
/// renamed over its final name and the directory fsynced, so a crash leaves either the whole new
/// snapshot or none of it. The newest and the one before it are kept.
/// </summary>
internal sealed class SnapshotFiles(IStorageDevice device)
{
    /// <summary>
    /// Starts the snapshot that covers WAL segments below <paramref name="coversSegmentsBefore"/>, in a temp file:
    /// the caller writes its body for as long as it needs and then completes or aborts it.
    /// </summary>
    public PendingSnapshot Begin(long coversSegmentsBefore)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(coversSegmentsBefore);
        device.CreateDirectory(SnapshotFormat.Directory);
        var temp = SnapshotFormat.TempPathOf(coversSegmentsBefore);
        var file = device.Create(temp);
        try
        {
            Span<byte> header = stackalloc byte[SnapshotFormat.HeaderSize];
            file.Write(header); // placeholder: length and CRC are known only at the end
            return new PendingSnapshot(this, file, coversSegmentsBefore, temp);
        }
        catch
        {
            file.Dispose();
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Renames a complete, synced temp file over its snapshot's name, fsyncs the directory and deletes the older snapshots but one.</summary>
    internal string Publish(string temp, long index)
    {
        var path = SnapshotFormat.PathOf(index);
        device.Rename(temp, path);
        device.SyncDirectory(SnapshotFormat.Directory);
        DeleteOlderThanPrevious(index);
        return path;
    }

    /// <summary>
    /// The newest snapshot, validated, or null when there is none. Deletes leftover temp files.
    /// Throws <see cref="SnapshotCorruptionException"/> naming the file when the newest is damaged.
    /// </summary>
    public LoadedSnapshot? TryLoadLatest()
    {
        foreach (var name in device.ListFiles(SnapshotFormat.Directory))
        {
            if (name.EndsWith(SnapshotFormat.TempExtension, StringComparison.Ordinal))
            {
                TryDelete(SnapshotFormat.Directory + "/" + name);
            }
        }
        var indexes = Indexes();
        return indexes.Count == 0 ? null : Load(indexes[^1]);
    }

    private LoadedSnapshot Load(long index)
    {
        var path = SnapshotFormat.PathOf(index);
        var fileLength = device.GetLength(path);
        Span<byte> header = stackalloc byte[SnapshotFormat.HeaderSize];
        if (device.Read(path, 0, header) < SnapshotFormat.HeaderSize)
        {
            throw SnapshotCorruptionException.For(path, $"file is {fileLength} bytes, shorter than the {SnapshotFormat.HeaderSize}-byte header");
        }

        if (!header[..8].SequenceEqual(SnapshotFormat.Magic))
        {
            throw SnapshotCorruptionException.For(path, "bad magic");
        }

        if (BinaryPrimitives.ReadUInt64LittleEndian(header[8..]) != (ulong)index)
        {
            throw SnapshotCorruptionException.For(path, "segment index in the header does not match the file name");
        }

        var bodyLength = BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
        if (bodyLength != (ulong)(fileLength - SnapshotFormat.HeaderSize))
        {
            throw SnapshotCorruptionException.For(path, $"header says {bodyLength} body bytes but the file holds {fileLength - SnapshotFormat.HeaderSize}");
        }

        if (bodyLength > (ulong)Array.MaxLength)
        {
            throw SnapshotCorruptionException.For(path, $"body of {bodyLength} bytes is too large to load");
        }

        var body = GC.AllocateUninitializedArray<byte>((int)bodyLength);
        if (device.Read(path, SnapshotFormat.HeaderSize, body) != body.Length)
        {
            throw SnapshotCorruptionException.For(path, "file shrank while it was read");
        }

        if (Crc32C.Compute(body) != BinaryPrimitives.ReadUInt32LittleEndian(header[24..]))
        {
            throw SnapshotCorruptionException.For(path, "body CRC-32C mismatch");
        }

        return new LoadedSnapshot(index, body, path);
    }

    private void DeleteOlderThanPrevious(long index)
    {
        var older = Indexes().Where(i => i < index).ToList();
        foreach (var stale in older.Take(older.Count - 1))
        {
            TryDelete(SnapshotFormat.PathOf(stale));
        }
    }

    private List<long> Indexes()
    {
        var indexes = new List<long>();
        foreach (var name in device.ListFiles(SnapshotFormat.Directory))
        {
            if (SnapshotFormat.TryParseFileName(name, out var index))
            {
                indexes.Add(index);
            }
        }
        indexes.Sort();
        return indexes;
    }

    internal void TryDelete(string path)
    {
        try
        {
            device.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Leftovers are harmless: temp files are ignored and old snapshots are never loaded.
        }
    }
}
