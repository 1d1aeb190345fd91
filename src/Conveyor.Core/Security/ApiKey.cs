namespace Conveyor.Core.Security;

/// <summary>
/// A stored API key: never the key itself, only its hash (<see cref="ApiKeySecret.Hash"/>) and what to show
/// an operator.
/// </summary>
/// <param name="Id">The key's first characters (<c>cvk_</c> + 8), so an operator can tell which key a client holds.</param>
/// <param name="Name">The operator's name for it, unique in the store.</param>
/// <param name="Scopes">What it may do.</param>
/// <param name="Hash">Lower-case hex SHA-256 of the key (see <see cref="ApiKeySecret.Hash"/>).</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="LastUsedAt">When a server last accepted it (kept in memory, persisted lazily), or null.</param>
public sealed record ApiKey(string Id, string Name, ApiScope Scopes, string Hash, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);
