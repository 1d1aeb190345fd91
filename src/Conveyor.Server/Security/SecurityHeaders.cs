using Microsoft.AspNetCore.Http;

namespace Conveyor.Server.Security;

/// <summary>
/// Headers on every answer, errors included (set when the response starts, after the exception handler
/// has cleared the headers): the API loads nothing and may not be framed, and no answer is content-sniffed.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
