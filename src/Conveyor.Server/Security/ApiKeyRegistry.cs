using System.Collections.Concurrent;
using System.Collections.Frozen;
using Conveyor.Core.Security;
using Microsoft.Extensions.Logging;

namespace Conveyor.Server.Security;

/// <summary>
/// The server's view of the keys: a dictionary by hash, refreshed when the store's version changes (asked at
/// most once a second, on the request path), and the last use of each key, kept in memory and handed to the
/// store by <see cref="ApiKeyUsageFlusher"/> so that a request never writes to disk.
/// </summary>
internal sealed partial class ApiKeyRegistry(IApiKeyStore store, TimeProvider time, ILogger<ApiKeyRegistry> logger)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> used = new(StringComparer.Ordinal);
    private KeySet current = KeySet.Empty;
    private long nextCheck;
    private int refreshing;

    /// <summary>True when at least one key exists: then every call but the health probes needs one.</summary>
    public bool HasKeys => current.ByHash.Count > 0;

    public IEnumerable<ApiKey> Keys => current.ByHash.Values;

    /// <summary>Loads the keys now (at start, so a broken keys file stops the server there).</summary>
    public async ValueTask LoadAsync(CancellationToken cancellationToken = default)
    {
        var version = await store.GetVersionAsync(cancellationToken).ConfigureAwait(false);
        var keys = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref current, new KeySet(version, keys.ToFrozenDictionary(k => k.Hash, StringComparer.Ordinal)));
        Volatile.Write(ref nextCheck, time.GetTimestamp() + time.TimestampFrequency);
    }

    /// <summary>Reloads when the store changed, checking at most once a second; a failed reload keeps the keys it had.</summary>
    public async ValueTask RefreshIfDueAsync(CancellationToken cancellationToken = default)
    {
        if (time.GetTimestamp() < Volatile.Read(ref nextCheck) || Interlocked.Exchange(ref refreshing, 1) == 1)
        {
            return;
        }

        try
        {
            Volatile.Write(ref nextCheck, time.GetTimestamp() + time.TimestampFrequency);
            if (await store.GetVersionAsync(cancellationToken).ConfigureAwait(false) != current.Version)
            {
                await LoadAsync(cancellationToken).ConfigureAwait(false);
                LogReloaded(current.ByHash.Count);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            LogReloadFailed(ex);
        }
        finally
        {
            Volatile.Write(ref refreshing, 0);
        }
    }

    /// <summary>The stored key the client's secret is, or null.</summary>
    public ApiKey? Find(string secret) => current.ByHash.GetValueOrDefault(ApiKeySecret.Hash(secret));

    public void RecordUse(ApiKey key) => used[key.Id] = time.GetUtcNow();

    /// <summary>Hands the last uses seen since the previous flush to the store.</summary>
    public async Task FlushUseAsync(CancellationToken cancellationToken)
    {
        if (used.IsEmpty)
        {
            return;
        }

        var batch = used.ToArray();
        foreach (var entry in batch)
        {
            used.TryRemove(entry); // only if not used again meanwhile: the newer time goes in the next flush
        }

        await store.RecordUseAsync(batch.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "API keys reloaded: {Count} key(s)")]
    private partial void LogReloaded(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "API keys could not be reloaded; the previous keys stay in force")]
    private partial void LogReloadFailed(Exception exception);

    private sealed record KeySet(long Version, FrozenDictionary<string, ApiKey> ByHash)
    {
        public static readonly KeySet Empty = new(0, FrozenDictionary<string, ApiKey>.Empty);
    }
}
