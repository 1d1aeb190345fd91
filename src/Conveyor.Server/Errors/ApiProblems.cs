using Conveyor.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Conveyor.Server.Errors;

/// <summary>The problem answers endpoints return themselves (the rest come from <see cref="ProblemExceptionHandler"/>).</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult JobNotFound(string id) =>
        TypedResults.Problem($"no job with id '{id}'", statusCode: StatusCodes.Status404NotFound, title: "Not found", type: ProblemTypes.NotFound);

    public static ProblemHttpResult QueueNotFound(string name) =>
        TypedResults.Problem($"no queue named '{name}'", statusCode: StatusCodes.Status404NotFound, title: "Not found", type: ProblemTypes.NotFound);

    public static ProblemHttpResult StaleLease(string id) =>
        TypedResults.Problem(
            $"the token is not the current lease of job '{id}' (it expired, was settled, or the job was cancelled)",
            statusCode: StatusCodes.Status409Conflict,
            title: "Stale lease",
            type: ProblemTypes.StaleLease);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict", type: ProblemTypes.Conflict);

    public static ProblemHttpResult NotReady(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready", type: ProblemTypes.NotReady);

    /// <summary>The stable type of a problem that only has a status (unmatched routes, framework answers).</summary>
    public static string TypeForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => ProblemTypes.BadRequest,
        StatusCodes.Status401Unauthorized => ProblemTypes.Unauthorized,
        StatusCodes.Status403Forbidden => ProblemTypes.Forbidden,
        StatusCodes.Status404NotFound => ProblemTypes.NotFound,
        StatusCodes.Status405MethodNotAllowed => ProblemTypes.MethodNotAllowed,
        StatusCodes.Status409Conflict => ProblemTypes.Conflict,
        StatusCodes.Status413PayloadTooLarge => ProblemTypes.PayloadTooLarge,
        StatusCodes.Status415UnsupportedMediaType => ProblemTypes.UnsupportedMediaType,
        StatusCodes.Status421MisdirectedRequest => ProblemTypes.MisdirectedRequest,
        StatusCodes.Status422UnprocessableEntity => ProblemTypes.Validation,
        StatusCodes.Status503ServiceUnavailable => ProblemTypes.StorageUnavailable,
        _ => ProblemTypes.Internal,
    };
}
