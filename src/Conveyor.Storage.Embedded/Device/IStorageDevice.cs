namespace Conveyor.Storage.Embedded.Device;

/// <summary>
/// The file system as the log and the snapshots see it, so the same code runs on disk, in memory
/// and under fault injection. Paths are relative to the data directory and use '/' (for example
/// <c>wal/00000000000000000001.wal</c>); the empty string names the data directory itself.
/// Nothing here is durable until <see cref="IStorageFile.Sync"/> (file contents) or
/// <see cref="SyncDirectory"/> (creations, renames and deletions in that directory) returns.
/// </summary>
internal interface IStorageDevice
{
    /// <summary>File names (not paths) directly inside <paramref name="directory"/>, ordinal order; empty when it does not exist.</summary>
    IReadOnlyList<string> ListFiles(string directory);

    bool Exists(string path);

    long GetLength(string path);

    /// <summary>The whole file. Throws <see cref="FileNotFoundException"/> when it does not exist.</summary>
    byte[] ReadAll(string path);

    /// <summary>Reads up to <c>destination.Length</c> bytes at <paramref name="offset"/>; returns how many were read (fewer only at end of file).</summary>
    int Read(string path, long offset, Span<byte> destination);

    /// <summary>Opens a file for appending, creating it empty when missing.</summary>
    IStorageFile OpenAppend(string path);

    /// <summary>
    /// Creates a file, or truncates an existing one to empty. With <paramref name="preallocateBytes"/>, the file
    /// starts that long, reading as zeros, with its space allocated where the device can: writes inside it then
    /// change neither the file's size nor its allocation, so an fsync after them has only the data to flush (on
    /// ext4 about 1.4 times the rate of append + fsync, with a shorter tail). Preallocation is best effort: when
    /// the space cannot be had the file starts empty. <paramref name="direct"/> says the file will only be appended
    /// to, from offset 0 (a WAL segment): the device may then write it around the OS page cache.
    /// </summary>
    IStorageFile Create(string path, long preallocateBytes = 0, bool direct = false);

    /// <summary>Renames <paramref name="source"/> to <paramref name="destination"/>, atomically replacing it.</summary>
    void Rename(string source, string destination);

    /// <summary>Deletes a file; does nothing when it does not exist.</summary>
    void Delete(string path);

    /// <summary>Creates a directory (and makes its creation durable) when it does not exist.</summary>
    void CreateDirectory(string directory);

    /// <summary>Makes creations, renames and deletions inside <paramref name="directory"/> durable.</summary>
    void SyncDirectory(string directory);

    /// <summary>
    /// Takes the exclusive lock on the data directory (its <c>LOCK</c> file), so two servers never
    /// open one directory. Throws <see cref="DataDirectoryLockedException"/> when someone holds it;
    /// disposing the result releases it.
    /// </summary>
    IDisposable LockDirectory();
}
