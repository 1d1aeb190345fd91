namespace Conveyor.Storage.Embedded.Device;

/// <summary>The held lock of a <see cref="MemoryStorageDevice"/>; a handle from before a simulated crash releases nothing.</summary>
internal sealed class MemoryDirectoryLock(MemoryStorageDevice device, int generation) : IDisposable
{
    private bool disposed;

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        device.ReleaseLock(generation);
    }
}
