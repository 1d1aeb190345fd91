using Conveyor.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

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

        var isJson = MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
        if (isJson)
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
}
