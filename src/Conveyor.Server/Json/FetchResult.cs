using System.Text.Json;
using Conveyor.Core.Jobs;
using Microsoft.AspNetCore.Http;

namespace Conveyor.Server.Json;

/// <summary>
/// The answer to a fetch, <c>{"jobs": [...]}</c> (the wire <c>FetchResponse</c>), written with
/// <see cref="JobViewWriter"/> straight into the response body.
/// </summary>
internal sealed class FetchResult(IReadOnlyList<JobInfo> jobs) : IResult
{
    private static readonly JsonEncodedText Jobs = JsonEncodedText.Encode("jobs");

    // The writer's structure checks are skipped: the parity tests run the same code with them on.
    private static readonly JsonWriterOptions Unchecked = new() { SkipValidation = true };

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, Unchecked))
        {
            Write(writer, jobs);
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
    }

    public static void Write(Utf8JsonWriter writer, IReadOnlyList<JobInfo> jobs)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(Jobs);
        var repeated = new RepeatedValues();
        foreach (var job in jobs)
        {
            JobViewWriter.Write(writer, job, repeated);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
