using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Conveyor.Server.Json;

/// <summary>Parses a JSON body held in one contiguous span.</summary>
internal delegate T BodyParser<out T>(ReadOnlySpan<byte> body);

/// <summary>
/// Reads a whole request body (Kestrel enforces the endpoint's size limit while it arrives) and parses it in
/// one pass from contiguous memory, instead of the serializer's resumable streaming path.
/// </summary>
internal static class JsonBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, BodyParser<T> parse)
    {
        // The request filter's check, not HasJsonContentType: that parses a MediaTypeHeaderValue on every call.
        if (!Security.JsonRequestFilter.IsJson(request.ContentType))
        {
            throw new BadHttpRequestException("the body must be application/json", StatusCodes.Status415UnsupportedMediaType);
        }

        var pipe = request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await pipe.ReadAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
            if (read.IsCanceled)
            {
                // Never parse a body that stopped arriving half way.
                pipe.AdvanceTo(read.Buffer.Start);
                throw new OperationCanceledException("reading the request body was cancelled");
            }

            if (read.IsCompleted)
            {
                break;
            }

            pipe.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        try
        {
            return Parse(read.Buffer, parse);
        }
        finally
        {
            pipe.AdvanceTo(read.Buffer.End);
        }
    }

    private static T Parse<T>(ReadOnlySequence<byte> body, BodyParser<T> parse)
    {
        if (body.IsEmpty)
        {
            throw Malformed(new JsonException("the body is empty; a JSON object is required"));
        }

        byte[]? rented = null;
        try
        {
            ReadOnlySpan<byte> span;
            if (body.IsSingleSegment)
            {
                span = body.FirstSpan;
            }
            else
            {
                rented = ArrayPool<byte>.Shared.Rent(checked((int)body.Length));
                body.CopyTo(rented);
                span = rented.AsSpan(0, (int)body.Length);
            }

            return parse(span);
        }
        catch (JsonException ex)
        {
            throw Malformed(ex);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static BadHttpRequestException Malformed(JsonException error) =>
        new($"malformed JSON: {error.Message}", StatusCodes.Status400BadRequest, error);
}
