using System.Text.Json;
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

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json; charset=utf-8";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, Unchecked))
        {
            WriteBody(writer);
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
    }

    protected abstract void WriteBody(Utf8JsonWriter writer);
}
