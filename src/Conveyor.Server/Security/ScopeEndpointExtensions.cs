using Conveyor.Core.Security;
using Microsoft.AspNetCore.Builder;

namespace Conveyor.Server.Security;

/// <summary>
/// Marks endpoints with what they need. An endpoint with neither mark needs <see cref="ApiScope.Admin"/>
/// (fail closed), and a test fails the build's suite for it.
/// </summary>
internal static class ScopeEndpointExtensions
{
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, ApiScope scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredScope(scope));

    public static TBuilder AllowWithoutKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(OpenEndpoint.Instance);
}
