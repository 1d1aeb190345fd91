using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Conveyor.Server.Delivery;

/// <summary>Confirms that a large HTTP answer reached the client (see <see cref="TcpDelivery"/>).</summary>
internal static class AnswerDelivery
{
    /// <summary>
    /// The answers confirmed at the socket: the socket transport's write buffer (<c>MaxWriteBufferSize</c>, left at its
    /// default), so a flush of one waits until the transport's send loop handed all of it to the kernel, or failed.
    /// Smaller answers are judged by the flush and <c>RequestAborted</c> alone.
    /// </summary>
    public const int ConfirmedBytes = 64 * 1024;

    /// <summary>
    /// The connection's socket when an answer on it can be confirmed: plain HTTP/1.x on Linux. Over TLS or HTTP/2 the
    /// flush returning does not mean the body is in the kernel, so those answers are judged without it.
    /// </summary>
    public static Socket? SocketOf(HttpContext httpContext)
    {
        var request = httpContext.Request;
        return OperatingSystem.IsLinux() && !request.IsHttps && (HttpProtocol.IsHttp11(request.Protocol) || HttpProtocol.IsHttp10(request.Protocol))
            ? httpContext.Features.Get<IConnectionSocketFeature>()?.Socket
            : null;
    }

    /// <summary>
    /// After the body was flushed: notes where it ends in the TCP stream, completes the response, and waits until the
    /// client acknowledged it or the connection failed.
    /// </summary>
    public static async Task<DeliveryOutcome> ConfirmAsync(HttpContext httpContext, Socket socket, TimeSpan limit)
    {
        using var delivery = TcpDelivery.Watch(socket, out var outcome);
        if (delivery?.WrittenEnd() is not { } end)
        {
            return outcome;
        }

        try
        {
            await httpContext.Response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ConnectionAbortedException or OperationCanceledException)
        {
            // The socket tells below whether the body got there.
        }

        var stopping = httpContext.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        return await delivery.WaitAsync(end, limit, stopping).ConfigureAwait(false);
    }
}
