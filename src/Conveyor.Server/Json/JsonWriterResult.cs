using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Conveyor.Server.Delivery;
using Microsoft.AspNetCore.Http;

namespace Conveyor.Server.Json;

/// <summary>
/// A JSON answer written with <see cref="Utf8JsonWriter"/> straight into the response body, for the hot
/// endpoints whose bodies are written by hand instead of through the serializer's metadata.
/// </summary>
/// <remarks>
/// The writer's structure checks are skipped here: each subclass's parity test runs the same <c>Write</c> with
/// them on, byte for byte against the serializer.
/// </remarks>
internal abstract class JsonWriterResult(int statusCode = StatusCodes.Status200OK) : IResult
{
    private static readonly JsonWriterOptions Unchecked = new() { SkipValidation = true };

    // Where an idle cached writer points; nothing is ever written to it.
    private static readonly ArrayBufferWriter<byte> Detached = new(1);

    [ThreadStatic]
    private static Utf8JsonWriter? cachedWriter;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        var decided = 0;
        if (MayBeUndelivered)
        {
            // Kestrel signals a reset connection on RequestAborted from the thread pool, possibly after the flush below
            // returned as if it went well; it never signals it once the response completed. So the registration outlives
            // this method (disposed with the request) and catches a late abort too; the flag makes one decision only.
            var registration = httpContext.RequestAborted.Register(() => _ = NotDeliveredOnceAsync().AsTask());
            response.RegisterForDispose(registration);
        }

        FlushResult flushed;
        long bodyBytes;
        try
        {
            response.StatusCode = statusCode;
            response.ContentType = "application/json; charset=utf-8";
            bodyBytes = Write(response.BodyWriter);

            flushed = await response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
        }
        catch
        {
            await NotDeliveredOnceAsync().ConfigureAwait(false);
            throw;
        }

        // A client gone mid-answer makes Kestrel drop the rest of the body without an exception: the abort tells.
        if (flushed.IsCanceled || flushed.IsCompleted || httpContext.RequestAborted.IsCancellationRequested)
        {
            await NotDeliveredOnceAsync().ConfigureAwait(false);
            return;
        }

        // Kestrel's flush returning says only that its send loop took the bytes: into the kernel's send queue, or it
        // failed on a reset (the result passed on does not tell which, and the abort may come after the request ended).
        // A large answer is judged at the socket, and that judgement alone decides: the flag keeps the abort out of it,
        // since a client that read the whole answer and closed aborts the request too.
        if (MayBeUndelivered && bodyBytes >= AnswerDelivery.ConfirmedBytes && AnswerDelivery.SocketOf(httpContext) is { } socket
            && Interlocked.Exchange(ref decided, 1) == 0
            && await AnswerDelivery.ConfirmAsync(httpContext, socket, DeliveryWaitLimit(httpContext)).ConfigureAwait(false) == DeliveryOutcome.ConnectionFailed)
        {
            await OnNotDeliveredAsync().ConfigureAwait(false);
        }

        ValueTask NotDeliveredOnceAsync() =>
            Interlocked.Exchange(ref decided, 1) == 0 ? OnNotDeliveredAsync() : ValueTask.CompletedTask;
    }

    /// <summary>
    /// Writes the body into <paramref name="output"/> with this thread's writer: the body is written synchronously, so a
    /// writer per thread serves every answer instead of one allocated per request. Between uses it points at an empty
    /// buffer, holding no response's pipe.
    /// </summary>
    private long Write(IBufferWriter<byte> output)
    {
        var writer = cachedWriter ??= new Utf8JsonWriter(Detached, Unchecked);
        writer.Reset(output);
        try
        {
            WriteBody(writer);
            writer.Flush();
            return writer.BytesCommitted;
        }
        finally
        {
            writer.Reset(Detached);
        }
    }

    /// <summary>Whether <see cref="OnNotDeliveredAsync"/> has anything to do (a fetch that leased jobs).</summary>
    protected virtual bool MayBeUndelivered => false;

    /// <summary>How long a large answer's delivery is waited for before it is left undecided (a fetch: until its leases run out).</summary>
    protected virtual TimeSpan DeliveryWaitLimit(HttpContext httpContext) => TimeSpan.Zero;

    protected abstract void WriteBody(Utf8JsonWriter writer);

    /// <summary>The answer failed to build or to reach the client (a fetch hands its leases back here).</summary>
    protected virtual ValueTask OnNotDeliveredAsync() => ValueTask.CompletedTask;
}
