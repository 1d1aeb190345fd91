using System.Globalization;
using Conveyor.Broker;
using Conveyor.Core.Storage;
using Conveyor.Server.Hosting;
using Grpc.Core;

namespace Conveyor.Server.Grpc;

/// <summary>
/// The gRPC statuses of Conveyor's errors (docs/grpc.md): the same cases as the HTTP problem types, with a message
/// that names the field and never a .NET type. A refused field is also named in the <c>conveyor-field</c> trailer
/// (and a batch item's place in <c>conveyor-index</c>).
/// </summary>
internal static class GrpcErrors
{
    public const string FieldTrailer = "conveyor-field";
    public const string IndexTrailer = "conveyor-index";

    /// <summary>The status for <paramref name="exception"/>, or null when it is not one of ours (an internal error).</summary>
    public static RpcException? Describe(Exception exception) => exception switch
    {
        RpcException rpc => rpc,
        RequestRejectedException rejected => WithField(StatusCode.InvalidArgument, rejected.Message, rejected.Field, rejected.Index),
        JobIdConflictException conflict => WithField(StatusCode.AlreadyExists, conflict.Message, "id", conflict.Index),
        StorageFullException full => new RpcException(new Status(StatusCode.ResourceExhausted, full.Message)),
        ServiceNotReadyException notReady => new RpcException(new Status(StatusCode.Unavailable, notReady.Message)),
        StorageUnavailableException storage => new RpcException(new Status(StatusCode.Unavailable, storage.Message)),
        _ => null,
    };

    public static RpcException NotFound(string what) => new(new Status(StatusCode.NotFound, what));

    public static RpcException StaleLease(string id) =>
        new(new Status(StatusCode.FailedPrecondition, $"the token is not job {id}'s current lease (it expired and was redelivered, or the job was settled or cancelled)"));

    public static RpcException Conflict(string detail) => new(new Status(StatusCode.FailedPrecondition, detail));

    public static RpcException Internal() => new(new Status(StatusCode.Internal, "an internal error occurred; the server logged it"));

    private static RpcException WithField(StatusCode code, string message, string field, int? index)
    {
        var trailers = new Metadata { { FieldTrailer, field } };
        if (index is { } i)
        {
            trailers.Add(IndexTrailer, i.ToString(CultureInfo.InvariantCulture));
        }

        return new RpcException(new Status(code, message), trailers);
    }
}
