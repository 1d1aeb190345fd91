using Microsoft.AspNetCore.Http;

namespace Conveyor.Server.Security;

/// <summary>
/// Headers on every answer, errors included (set when the response starts, after the exception handler
/// has cleared the headers): the API loads nothing and may not be framed, no answer is content-sniffed, and no
/// <c>/v1</c> answer is cached.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        context.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            var headers = response.Headers;
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy; // the dashboard's pages set their own (Dashboard/DashboardAssets)
            }

            headers.XContentTypeOptions = "nosniff";
            if (response.HttpContext.Request.Path.StartsWithSegments("/v1"))
            {
                headers.CacheControl = "no-store"; // data answers: never kept by a browser or a proxy
            }
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
