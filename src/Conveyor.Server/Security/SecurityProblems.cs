using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Conveyor.Server.Security;

/// <summary>Writes the security filters' refusals as problem documents, like every other error.</summary>
internal static class SecurityProblems
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string type, string detail)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetService(typeof(IProblemDetailsService)) as IProblemDetailsService
            ?? throw new InvalidOperationException("problem details are not registered");
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Type = type, Detail = detail },
        }).ConfigureAwait(false);
    }
}
