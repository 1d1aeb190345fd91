namespace Conveyor.Storage.Embedded.Device;

/// <summary>A handle on a <see cref="MemoryFile"/>; dead after the device simulates a crash.</summary>
internal sealed class MemoryStorageFile(MemoryStorageDevice device, string path, MemoryFile file, int generation) : IStorageFile
{
    private bool disposed;

    public string Path { get; } = path;

    public long Length
    {
        get
        {
            lock (device.Gate)
            {
                return file.Length;
            }
        }
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        device.BeforeWrite?.Invoke(Path);
        lock (device.Gate)
        {
            EnsureAlive();
            device.WriteLocked(file, file.Length, data);
        }
    }

    public void WriteAt(long offset, ReadOnlySpan<byte> data)
    {
        device.BeforeWrite?.Invoke(Path);
        lock (device.Gate)
        {
            EnsureAlive();
            ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, file.Length);
            device.WriteLocked(file, offset, data);
        }
    }

    public void Sync()
    {
        device.BeforeSync?.Invoke(Path);
        lock (device.Gate)
        {
            EnsureAlive();
            device.SyncLocked(Path, file);
        }
    }

    /// <summary>Nothing to start: the memory device has no write-back (what a crash keeps is decided by <see cref="Sync"/>).</summary>
    public void StartWriteBack(long offset, long length)
    {
    }

    public void Truncate(long length)
    {
        lock (device.Gate)
        {
            EnsureAlive();
            device.TruncateLocked(file, length);
        }
    }

    public void Dispose() => disposed = true;

    private void EnsureAlive()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (generation != device.Generation)
        {
            throw new ObjectDisposedException(Path, "this handle was opened before a simulated crash");
        }
    }
}
