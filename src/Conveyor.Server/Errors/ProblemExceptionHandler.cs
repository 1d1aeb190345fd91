using System.Text.Json;
using Conveyor.Broker;
using Conveyor.Contracts;
using Conveyor.Core.Storage;
using Conveyor.Server.Hosting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Conveyor.Server.Errors;

/// <summary>
/// Turns every exception that escapes an endpoint into an RFC 9457 problem with a stable type, so a bad
/// request or a bug answers one request and never takes the server down.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Describe(exception);
        if (problem.Status == StatusCodes.Status500InternalServerError)
        {
            LogUnhandled(exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        if (exception is StorageFullException)
        {
            httpContext.Response.Headers.RetryAfter = ((int)StorageFullException.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        }).ConfigureAwait(false);
    }

    internal static ProblemDetails Describe(Exception exception) => exception switch
    {
        RequestRejectedException rejected => Validation(rejected),
        JobIdConflictException conflict => IdConflict(conflict),
        StorageFullException full => Problem(503, "Storage full", ProblemTypes.StorageFull, full.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            Problem(413, "Payload too large", ProblemTypes.PayloadTooLarge, "the request body is over the limit of this endpoint"),
        BadHttpRequestException { InnerException: JsonException json } =>
            Problem(400, "Malformed JSON", ProblemTypes.MalformedJson, ProblemDetailScrubber.Scrub(json.Message)),
        BadHttpRequestException bad =>
            Problem(bad.StatusCode, "Bad request", ApiProblems.TypeForStatus(bad.StatusCode), ProblemDetailScrubber.Scrub(bad.Message)),
        ServiceNotReadyException notReady => Problem(503, "Not ready", ProblemTypes.NotReady, notReady.Message),
        StorageUnavailableException storage => Problem(503, "Storage unavailable", ProblemTypes.StorageUnavailable, storage.Message),
        _ => Problem(500, "Internal error", ProblemTypes.Internal, "an internal error occurred; the server logged it"),
    };

    private static ProblemDetails Validation(RequestRejectedException rejected)
    {
        var problem = rejected.TooLarge
            ? Problem(413, "Value too large", ProblemTypes.PayloadTooLarge, rejected.Message)
            : Problem(422, "Invalid value", ProblemTypes.Validation, rejected.Message);
        problem.Extensions["field"] = rejected.Field;
        if (rejected.Index is { } index)
        {
            problem.Extensions["index"] = index;
        }

        return problem;
    }

    private static ProblemDetails IdConflict(JobIdConflictException conflict)
    {
        var problem = Problem(409, "Id conflict", ProblemTypes.IdConflict, conflict.Message);
        problem.Extensions["field"] = "id";
        if (conflict.Index is { } index)
        {
            problem.Extensions["index"] = index;
        }

        return problem;
    }

    private static ProblemDetails Problem(int status, string title, string type, string detail) =>
        new() { Status = status, Title = title, Type = type, Detail = detail };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception in {Method} {Path}")]
    private partial void LogUnhandled(Exception exception, string method, string path);
}
