using Conveyor.Core.Security;
using Conveyor.Storage.Embedded.Device;

namespace Conveyor.Storage.Embedded.Security;

/// <summary>
/// The embedded store's API keys: <c>keys.json</c> in the data directory, readable by its owner only. It does
/// not need the WAL's <c>LOCK</c>, so <c>conveyor keys</c> works while a server runs on the directory; writers
/// (the CLI, the server recording last use) serialise on their own <c>keys.lock</c>, and every write is
/// temp file → fsync → rename → fsync of the directory, so a reader sees the old file or the new one.
/// </summary>
public sealed class FileApiKeyStore : IApiKeyStore
{
    /// <summary>The file's name in the data directory.</summary>
    public const string FileName = "keys.json";

    private const string LockFileName = "keys.lock";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    private readonly string directory;
    private readonly string path;

    /// <summary>Keys in <paramref name="dataDirectory"/> (created on the first write).</summary>
    public FileApiKeyStore(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        directory = Path.GetFullPath(dataDirectory);
        path = Path.Combine(directory, FileName);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<ApiKey>>(Load());

    /// <inheritdoc/>
    public ValueTask<bool> TryAddAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ValueTask.FromResult(Change(keys =>
        {
            if (keys.Any(k => k.Name == key.Name || k.Id == key.Id))
            {
                return false;
            }

            keys.Add(key);
            return true;
        }));
    }

    /// <inheritdoc/>
    public ValueTask<ApiKey?> RevokeAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        ApiKey? revoked = null;
        Change(keys =>
        {
            revoked = keys.Find(k => k.Name == nameOrId) ?? keys.Find(k => k.Id == nameOrId);
            return revoked is not null && keys.Remove(revoked);
        });
        return ValueTask.FromResult(revoked);
    }

    /// <inheritdoc/>
    public ValueTask RecordUseAsync(IReadOnlyDictionary<string, DateTimeOffset> lastUsed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lastUsed);
        Change(keys =>
        {
            var changed = false;
            for (var i = 0; i < keys.Count; i++)
            {
                if (lastUsed.TryGetValue(keys[i].Id, out var used) && (keys[i].LastUsedAt is not { } old || used > old))
                {
                    keys[i] = keys[i] with { LastUsedAt = used };
                    changed = true;
                }
            }

            return changed;
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<long> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(path);
        return ValueTask.FromResult(file.Exists ? HashCode.Combine(file.LastWriteTimeUtc.Ticks, file.Length) | 1L : 0L);
    }

    private List<ApiKey> Load()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }

        return ApiKeyFileFormat.Read(bytes, path);
    }

    /// <summary>Under the keys lock: reads, lets <paramref name="change"/> edit, and writes when it says it changed something.</summary>
    private bool Change(Func<List<ApiKey>, bool> change)
    {
        Directory.CreateDirectory(directory);
        using var gate = TakeLock();
        var keys = Load();
        if (!change(keys))
        {
            return false;
        }

        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var file = new FileStream(temp, options))
        {
            file.Write(ApiKeyFileFormat.Write(keys));
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        DirectorySync.Sync(directory);
        return true;
    }

    private FileStream TakeLock()
    {
        // FileShare.None is a flock on Unix: it excludes other processes (the CLI, a server) and other stores in this one.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < LockWait)
            {
                Thread.Sleep(10);
            }
        }
    }
}
