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

    /// <remarks>
    /// Not an async method: every request passes here, and a call with nothing to wait for (the usual case: the key
    /// set is fresh) hands the next middleware's task on instead of boxing a state machine per request.
    /// </remarks>
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null || endpoint.Metadata.GetMetadata<OpenEndpoint>() is not null)
        {
            return next(context); // unmatched routes answer 404/405 and reveal nothing
        }

        var refresh = keys.RefreshIfDueAsync(context.RequestAborted);
        if (refresh.IsCompletedSuccessfully)
        {
            return Authorize(context, next, endpoint);
        }

        return RefreshThenAuthorizeAsync(refresh, context, next, endpoint);
    }

    private async Task RefreshThenAuthorizeAsync(ValueTask refresh, HttpContext context, RequestDelegate next, Endpoint endpoint)
    {
        await refresh.ConfigureAwait(false);
        await Authorize(context, next, endpoint).ConfigureAwait(false);
    }

    private Task Authorize(HttpContext context, RequestDelegate next, Endpoint endpoint)
    {
        if (!keys.HasKeys)
        {
            return protectedMode.RefusesWithoutKeys
                ? UnauthorizedAsync(context, $"no API key exists, and this server listens beyond loopback; create one with `{ProtectedMode.HowToCreateKey(dataDirectory)}`")
                : next(context);
        }

        // Endpoints without a mark need admin: a new endpoint is closed until someone decides its scope.
        var needed = endpoint.Metadata.GetMetadata<RequiredScope>()?.Scope ?? ApiScope.Admin;
        var key = Authenticate(context.Request);
        if (key is null)
        {
            return UnauthorizedAsync(context, "send an API key as Authorization: Bearer KEY");
        }

        keys.RecordUse(key);
        if (!key.Scopes.Grants(needed))
        {
            var detail = $"this call needs a key with scope '{needed.ToName()}'; key '{key.Name}' has '{ApiScopes.Format(key.Scopes)}'";
            return GrpcRefusal.IsGrpc(context.Request)
                ? GrpcRefusal.WriteAsync(context, GrpcRefusal.PermissionDenied, detail)
                : SecurityProblems.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", ProblemTypes.Forbidden, detail);
        }

        context.Items[typeof(ApiKey)] = key; // who is calling, for the dashboard's session answer
        return next(context);
    }

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
