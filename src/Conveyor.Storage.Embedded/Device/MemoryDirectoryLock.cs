namespace Conveyor.Storage.Embedded.Device;

/// <summary>The held lock of a <see cref="MemoryStorageDevice"/>; a handle from before a simulated crash releases nothing.</summary>
internal sealed class MemoryDirectoryLock(MemoryStorageDevice device, int generation) : IDisposable
{
    private bool _disposed;

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        device.ReleaseLock(generation);
    }
}
