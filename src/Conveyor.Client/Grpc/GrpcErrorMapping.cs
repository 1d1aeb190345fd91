using System.Net;
using Conveyor.Contracts;
using Grpc.Core;

namespace Conveyor.Client.Grpc;

/// <summary>gRPC statuses → the <see cref="ConveyorApiException"/>s the HTTP transport throws for the same cases.</summary>
internal static class GrpcErrorMapping
{
    public static Exception ToApiException(RpcException e) => e.StatusCode switch
    {
        StatusCode.FailedPrecondition => Problem(HttpStatusCode.Conflict, ProblemTypes.StaleLease, e.Status.Detail),
        StatusCode.NotFound => Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound, e.Status.Detail),
        StatusCode.InvalidArgument => Problem(HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation, e.Status.Detail),
        StatusCode.Unauthenticated => Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized, e.Status.Detail),
        StatusCode.PermissionDenied => Problem(HttpStatusCode.Forbidden, ProblemTypes.Forbidden, e.Status.Detail),
        _ => e,
    };

    public static ConveyorApiException StaleLease(string id) =>
        Problem(HttpStatusCode.Conflict, ProblemTypes.StaleLease, $"the token is not job {id}'s current lease");

    public static ConveyorApiException NotFound(string id) => Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound, $"no job {id}");

    private static ConveyorApiException Problem(HttpStatusCode status, string type, string detail) =>
        new(status, new Problem { Type = type, Status = (int)status, Detail = detail });
}
