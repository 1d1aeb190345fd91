using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Conveyor.Server.Security;

/// <summary>
/// The security filters' refusals as a gRPC client reads them: a trailers-only answer whose <c>grpc-status</c> is
/// UNAUTHENTICATED (16) or PERMISSION_DENIED (7) with the same sentence the HTTP problem carries.
/// </summary>
internal static class GrpcRefusal
{
    public const int Unauthenticated = 16;
    public const int PermissionDenied = 7;

    /// <summary>Whether the request is a gRPC call (<c>application/grpc</c>, with or without a suffix such as <c>+proto</c>).</summary>
    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    public static Task WriteAsync(HttpContext context, int status, string message)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = status.ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        return Task.CompletedTask;
    }
}
