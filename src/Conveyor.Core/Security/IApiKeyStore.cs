namespace Conveyor.Core.Security;

/// <summary>
/// Where API keys live: beside the jobs (a file in the embedded store's data directory, a table in
/// PostgreSQL). Several processes may use one store at once (the CLI adds a key while the server runs), so
/// every change is a read-modify-write of the current contents.
/// </summary>
public interface IApiKeyStore
{
    /// <summary>Every key, oldest first.</summary>
    ValueTask<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds the key; false (and nothing written) when a key with its name or id exists.</summary>
    ValueTask<bool> TryAddAsync(ApiKey key, CancellationToken cancellationToken = default);

    /// <summary>Removes the key with this name or id; returns it, or null when there is none.</summary>
    ValueTask<ApiKey?> RevokeAsync(string nameOrId, CancellationToken cancellationToken = default);

    /// <summary>Records when keys (by id) were last used; ids no longer stored are ignored, older times never win.</summary>
    ValueTask RecordUseAsync(IReadOnlyDictionary<string, DateTimeOffset> lastUsed, CancellationToken cancellationToken = default);

    /// <summary>
    /// A value that changes whenever the keys may have changed (also by another process); cheap enough to ask
    /// about once a second on the request path.
    /// </summary>
    ValueTask<long> GetVersionAsync(CancellationToken cancellationToken = default);
}
