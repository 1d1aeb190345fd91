using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace Conveyor.Server.Grpc;

/// <summary>Turns what escapes a call into its gRPC status (<see cref="GrpcErrors"/>); anything else is logged and answers INTERNAL.</summary>
internal sealed partial class GrpcErrorInterceptor(ILogger<GrpcErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Translate(ex, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Translate(ex, context);
        }
    }

    private RpcException Translate(Exception exception, ServerCallContext context)
    {
        if (GrpcErrors.Describe(exception) is { } known)
        {
            return known;
        }

        if (exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
        {
            // The client went away or its deadline passed: it does not read this status (the framework reports the deadline).
            return new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled"));
        }

        LogUnhandled(exception, context.Method);
        return GrpcErrors.Internal();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception in gRPC {Method}")]
    private partial void LogUnhandled(Exception exception, string method);
}
