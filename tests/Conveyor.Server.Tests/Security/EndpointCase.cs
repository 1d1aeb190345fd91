using Conveyor.Core.Security;

namespace Conveyor.Server.Tests.Security;

/// <summary>One endpoint of the API, a request that reaches it, and the scope it needs.</summary>
internal sealed record EndpointCase(string Method, string Pattern, string Path, ApiScope Scope, string? Body = null)
{
    public override string ToString() => $"{Method} {Pattern}";
}
