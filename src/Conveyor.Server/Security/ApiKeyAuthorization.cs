using Conveyor.Contracts;
using Conveyor.Core.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Conveyor.Server.Security;

/// <summary>
/// The one check of every endpoint's <see cref="RequiredScope"/> (after routing). When no key exists every
/// call is allowed, unless protected mode refuses; when keys exist a call needs <c>Authorization: Bearer KEY</c>
/// with the scope: 401 without a valid key, 403 with one that lacks it.
/// </summary>
internal sealed class ApiKeyAuthorization(ApiKeyRegistry keys, ProtectedMode protectedMode, string dataDirectory)
{
    private const string BearerPrefix = "Bearer ";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null || endpoint.Metadata.GetMetadata<OpenEndpoint>() is not null)
        {
            await next(context).ConfigureAwait(false); // unmatched routes answer 404/405 and reveal nothing
            return;
        }

        await keys.RefreshIfDueAsync(context.RequestAborted).ConfigureAwait(false);
        if (!keys.HasKeys)
        {
            if (protectedMode.RefusesWithoutKeys)
            {
                await UnauthorizedAsync(context, $"no API key exists, and this server listens beyond loopback; create one with `{ProtectedMode.HowToCreateKey(dataDirectory)}`").ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
            return;
        }

        // Endpoints without a mark need admin: a new endpoint is closed until someone decides its scope.
        var needed = endpoint.Metadata.GetMetadata<RequiredScope>()?.Scope ?? ApiScope.Admin;
        var key = Authenticate(context.Request);
        if (key is null)
        {
            await UnauthorizedAsync(context, "send an API key as Authorization: Bearer KEY").ConfigureAwait(false);
            return;
        }

        keys.RecordUse(key);
        if (!key.Scopes.Grants(needed))
        {
            var detail = $"this call needs a key with scope '{needed.ToName()}'; key '{key.Name}' has '{ApiScopes.Format(key.Scopes)}'";
            if (GrpcRefusal.IsGrpc(context.Request))
            {
                await GrpcRefusal.WriteAsync(context, GrpcRefusal.PermissionDenied, detail).ConfigureAwait(false);
                return;
            }

            await SecurityProblems.WriteAsync(
                context, StatusCodes.Status403Forbidden, "Forbidden", ProblemTypes.Forbidden, detail).ConfigureAwait(false);
            return;
        }

        context.Items[typeof(ApiKey)] = key; // who is calling, for the dashboard's session answer
        await next(context).ConfigureAwait(false);
    }

    /// <summary>The key the call was authorized with, or null when no key is in use.</summary>
    public static ApiKey? KeyOf(HttpContext context) => context.Items.TryGetValue(typeof(ApiKey), out var key) ? key as ApiKey : null;

    private ApiKey? Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var secret = value.AsSpan(BearerPrefix.Length).Trim();
        return secret.IsEmpty ? null : keys.Find(secret.ToString());
    }

    private static Task UnauthorizedAsync(HttpContext context, string detail)
    {
        if (GrpcRefusal.IsGrpc(context.Request))
        {
            return GrpcRefusal.WriteAsync(context, GrpcRefusal.Unauthenticated, detail.Replace("Authorization: Bearer KEY", "authorization: Bearer KEY metadata", StringComparison.Ordinal));
        }

        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return SecurityProblems.WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", ProblemTypes.Unauthorized, detail);
    }
}
