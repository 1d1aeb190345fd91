namespace Conveyor.Storage.Embedded.Device;

/// <summary>
/// An in-memory device that knows what a crash would keep, for fault-injection tests. File
/// contents are durable up to the last <see cref="IStorageFile.Sync"/>; creations, renames and
/// deletions only once their directory is synced (POSIX promises no more). Thread-safe.
/// </summary>
internal sealed class MemoryStorageDevice : IStorageDevice
{
    private const int PageSize = 4096;

    private readonly Dictionary<string, MemoryFile> files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MemoryFile> durableFiles = new(StringComparer.Ordinal);
    private bool locked;

    internal object Gate { get; } = new();

    internal int Generation { get; private set; }

    /// <summary>When true, every fsync (file or directory) throws and makes nothing durable.</summary>
    public bool FailSync { get; set; }

    /// <summary>Called with the file's path before every write, outside the device's lock: a test can hold the writer there.</summary>
    public Action<string>? BeforeWrite { get; set; }

    /// <summary>Called with the file's path before every file fsync, outside the device's lock: a test can hold an fsync there.</summary>
    public Action<string>? BeforeSync { get; set; }

    /// <summary>When set, fsyncs of the files whose path starts with it throw (others sync): a fault in one kind of file.</summary>
    public string? FailSyncOfFilesUnder { get; set; }

    /// <summary>Total bytes all files may hold; a write past it writes what fits, then throws "No space left on device".</summary>
    public long? CapacityBytes { get; set; }

    /// <summary>When false, <see cref="Create"/> ignores preallocation, as on a file system that cannot preallocate.</summary>
    public bool CanPreallocate { get; set; } = true;

    /// <summary>When true, truncating a file throws (to test what a failed roll-back leaves).</summary>
    public bool FailTruncate { get; set; }

    public long UsedBytes
    {
        get
        {
            lock (Gate)
            {
                return files.Values.Sum(f => f.Length);
            }
        }
    }

    public int SyncCount { get; private set; }

    /// <summary>
    /// Loses what a power cut would: every unsynced byte (keeping up to <paramref name="keepUnsyncedBytes"/>
    /// per file to model a torn write) and every directory change not followed by a directory sync.
    /// Open handles die and the directory lock is released, as when the process goes.
    /// </summary>
    public void SimulateCrash(int keepUnsyncedBytes = 0) => LoseUnsynced((_, file) => file.Crash(keepUnsyncedBytes));

    /// <summary>
    /// Like <see cref="SimulateCrash"/> for a power cut: of each file's unsynced bytes, only the 4 KiB pages
    /// <paramref name="keepsPage"/> (file path, page offset) says the disk got are kept, in any order; a file
    /// created or renamed since the last directory sync is gone, as after a crash.
    /// </summary>
    public void SimulatePowerCut(Func<string, long, bool> keepsPage)
    {
        ArgumentNullException.ThrowIfNull(keepsPage);
        LoseUnsynced((name, file) => file.PowerCut(page => keepsPage(name, page), PageSize));
    }

    private void LoseUnsynced(Action<string, MemoryFile> lose)
    {
        lock (Gate)
        {
            files.Clear();
            foreach (var (name, file) in durableFiles)
            {
                files[name] = file;
            }

            foreach (var group in files.GroupBy(f => f.Value))
            {
                lose(group.First().Key, group.Key);
            }

            Generation++;
            locked = false;
        }
    }

    public IReadOnlyList<string> ListFiles(string directory)
    {
        lock (Gate)
        {
            return [.. files.Keys.Where(k => IsIn(k, directory)).Select(k => k[Prefix(directory).Length..]).Order(StringComparer.Ordinal)];
        }
    }

    public bool Exists(string path)
    {
        lock (Gate)
        {
            return files.ContainsKey(path);
        }
    }

    public long GetLength(string path)
    {
        lock (Gate)
        {
            return Get(path).Length;
        }
    }

    public byte[] ReadAll(string path)
    {
        lock (Gate)
        {
            return Get(path).ToArray();
        }
    }

    public int Read(string path, long offset, Span<byte> destination)
    {
        lock (Gate)
        {
            return Get(path).Read(offset, destination);
        }
    }

    public IStorageFile OpenAppend(string path)
    {
        lock (Gate)
        {
            if (!files.TryGetValue(path, out var file))
            {
                files[path] = file = new MemoryFile();
            }

            return new MemoryStorageFile(this, path, file, Generation);
        }
    }

    public IStorageFile Create(string path, long preallocateBytes = 0, bool direct = false)
    {
        lock (Gate)
        {
            var file = new MemoryFile();
            if (CanPreallocate && preallocateBytes <= FreeBytes())
            {
                file.Truncate(preallocateBytes);
            }

            files[path] = file;
            return new MemoryStorageFile(this, path, file, Generation);
        }
    }

    public void Rename(string source, string destination)
    {
        lock (Gate)
        {
            var file = Get(source);
            files.Remove(source);
            files[destination] = file;
        }
    }

    public void Delete(string path)
    {
        lock (Gate)
        {
            files.Remove(path);
        }
    }

    public void CreateDirectory(string directory)
    {
        // Directories are implicit in the names of the files.
    }

    public void SyncDirectory(string directory)
    {
        lock (Gate)
        {
            ThrowIfSyncFails($"directory '{directory}'");
            foreach (var name in durableFiles.Keys.Where(k => IsIn(k, directory)).ToList())
            {
                durableFiles.Remove(name);
            }

            foreach (var (name, file) in files.Where(e => IsIn(e.Key, directory)))
            {
                durableFiles[name] = file;
            }
        }
    }

    public IDisposable LockDirectory()
    {
        lock (Gate)
        {
            if (locked)
            {
                throw DataDirectoryLockedException.For("memory:");
            }

            locked = true;
            return new MemoryDirectoryLock(this, Generation);
        }
    }

    internal void ReleaseLock(int generation)
    {
        lock (Gate)
        {
            if (generation == Generation)
            {
                locked = false;
            }
        }
    }

    internal void WriteLocked(MemoryFile file, long offset, ReadOnlySpan<byte> data)
    {
        var growth = Math.Max(0, offset + data.Length - file.Length);
        var free = FreeBytes();
        if (growth <= free)
        {
            file.Write(offset, data);
            return;
        }
        // Like a real full disk: what fits is written, then the write fails.
        file.Write(offset, data[..(int)(data.Length - (growth - free))]);
        throw new IOException("No space left on device");
    }

    internal void TruncateLocked(MemoryFile file, long length)
    {
        if (FailTruncate)
        {
            throw new IOException("Input/output error (simulated truncate failure)");
        }

        file.Truncate(length);
    }

    internal void SyncLocked(string path, MemoryFile file)
    {
        if (FailSyncOfFilesUnder is { } prefix && path.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new IOException($"Input/output error (simulated fsync failure of '{path}')");
        }

        ThrowIfSyncFails("file");
        file.Sync();
    }

    private void ThrowIfSyncFails(string what)
    {
        if (FailSync)
        {
            throw new IOException($"Input/output error (simulated fsync failure of {what})");
        }

        SyncCount++;
    }

    private long FreeBytes() =>
        CapacityBytes is { } capacity ? Math.Max(0, capacity - files.Values.Distinct().Sum(f => f.Length)) : long.MaxValue;

    private MemoryFile Get(string path) =>
        files.TryGetValue(path, out var file) ? file : throw new FileNotFoundException($"no file '{path}'", path);

    private static string Prefix(string directory) => directory.Length == 0 ? "" : directory + "/";

    private static bool IsIn(string path, string directory) =>
        path.StartsWith(Prefix(directory), StringComparison.Ordinal) && !path.AsSpan(Prefix(directory).Length).Contains('/');
}
