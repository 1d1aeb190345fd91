using Conveyor.Core.Security;

namespace Conveyor.Server.Security;

/// <summary>Endpoint metadata: the scope a key needs for this endpoint (checked by <see cref="ApiKeyAuthorization"/>).</summary>
internal sealed record RequiredScope(ApiScope Scope);
