namespace Conveyor.Storage.Embedded.Device;

/// <summary>The real file system under one data directory.</summary>
internal sealed class FileStorageDevice : IStorageDevice
{
    private const string LockFileName = "LOCK";

    public FileStorageDevice(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        RootDirectory = System.IO.Path.GetFullPath(rootDirectory);
        Directory.CreateDirectory(RootDirectory);
    }

    public string RootDirectory { get; }

    public IReadOnlyList<string> ListFiles(string directory)
    {
        var full = Resolve(directory);
        if (!Directory.Exists(full))
        {
            return [];
        }

        var names = Directory.EnumerateFiles(full).Select(f => System.IO.Path.GetFileName(f)).ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public bool Exists(string path) => File.Exists(Resolve(path));

    public long GetLength(string path) => new FileInfo(Resolve(path)).Length;

    public byte[] ReadAll(string path) => File.ReadAllBytes(Resolve(path));

    public int Read(string path, long offset, Span<byte> destination)
    {
        using var handle = File.OpenHandle(Resolve(path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var total = 0;
        while (total < destination.Length)
        {
            var read = RandomAccess.Read(handle, destination[total..], offset + total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }
        return total;
    }

    public IStorageFile OpenAppend(string path) => FileStorageFile.Open(path, Resolve(path), FileMode.OpenOrCreate);

    public IStorageFile Create(string path, long preallocateBytes = 0, bool direct = false)
    {
        var full = Resolve(path);
        var file = preallocateBytes > 0 ? FileStorageFile.CreatePreallocated(path, full, preallocateBytes) : FileStorageFile.Open(path, full, FileMode.Create);
        if (!direct || DirectAppendFile.TryOpen(path, full) is not { } appends)
        {
            return file;
        }

        file.Dispose();
        return appends;
    }

    public void Rename(string source, string destination) => File.Move(Resolve(source), Resolve(destination), overwrite: true);

    public void Delete(string path) => File.Delete(Resolve(path));

    public void CreateDirectory(string directory)
    {
        var full = Resolve(directory);
        if (Directory.Exists(full))
        {
            return;
        }

        Directory.CreateDirectory(full);
        // The new directory's own entry lives in its parent; without this a crash can forget it.
        DirectorySync.Sync(System.IO.Path.GetDirectoryName(full) ?? full);
    }

    public void SyncDirectory(string directory) => DirectorySync.Sync(Resolve(directory));

    public IDisposable LockDirectory()
    {
        try
        {
            // On Unix .NET takes a flock(LOCK_EX | LOCK_NB) for FileShare.None, so this also
            // excludes a second opener inside the same process.
            return new FileStream(Resolve(LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw DataDirectoryLockedException.For(RootDirectory, ex);
        }
    }

    private string Resolve(string relative)
    {
        if (relative.Length == 0)
        {
            return RootDirectory;
        }

        if (System.IO.Path.IsPathRooted(relative) || relative.Split('/', '\\').Contains(".."))
        {
            throw new ArgumentException($"'{relative}' is not a path inside the data directory", nameof(relative));
        }

        return System.IO.Path.Combine(RootDirectory, relative.Replace('/', System.IO.Path.DirectorySeparatorChar));
    }
}
