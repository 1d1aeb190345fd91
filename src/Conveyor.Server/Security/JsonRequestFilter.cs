using Conveyor.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Conveyor.Server.Security;

/// <summary>
/// Cross-site request forgery guard: a state-changing request (POST, PUT, PATCH, DELETE) must be one a web
/// page cannot send without a CORS preflight, which this server never grants. With a body it must be
/// <c>application/json</c>; without one (cancel, pause, ...) it must say <c>application/json</c> or carry an
/// <c>Authorization</c> header. A <c>text/plain</c> or form POST gets 415 and changes nothing.
/// </summary>
internal static class JsonRequestFilter
{
    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (!(HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method) || HttpMethods.IsDelete(request.Method)))
        {
            return next(context);
        }

        // A gRPC call's media type is not one a web page can send without a preflight either.
        if (IsJson(request.ContentType) || GrpcRefusal.IsGrpc(request))
        {
            return next(context);
        }

        var hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0;
        if (!hasBody && request.Headers.Authorization.Count > 0)
        {
            return next(context);
        }

        return SecurityProblems.WriteAsync(
            context, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", ProblemTypes.UnsupportedMediaType,
            hasBody
                ? "a request body must be sent as Content-Type: application/json"
                : "a state-changing request must carry Content-Type: application/json or an Authorization header");
    }

    /// <summary>
    /// Whether the media type is <c>application/json</c> (parameters such as a charset allowed). Read from the header's
    /// text, not through a parsed header object: every fetch and settle passes here, one job at a time for most clients.
    /// </summary>
    internal static bool IsJson(string? contentType)
    {
        const string Json = "application/json";
        var value = contentType.AsSpan().Trim();
        if (!value.StartsWith(Json, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = value[Json.Length..].TrimStart();
        return rest.IsEmpty || rest[0] == ';';
    }
}
