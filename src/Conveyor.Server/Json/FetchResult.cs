using System.Text.Json;
using Conveyor.Core.Jobs;

namespace Conveyor.Server.Json;

/// <summary>
/// The answer to a fetch, <c>{"jobs": [...]}</c> (the wire <c>FetchResponse</c>), written with
/// <see cref="JobViewWriter"/> straight into the response body; with <paramref name="omitDefaults"/> (the request's
/// <c>omit_defaults</c>) each view leaves out its members at their defaults.
/// </summary>
internal sealed class FetchResult(IReadOnlyList<JobInfo> jobs, bool omitDefaults = false) : JsonWriterResult
{
    private static readonly JsonEncodedText Jobs = JsonEncodedText.Encode("jobs");

    protected override void WriteBody(Utf8JsonWriter writer) => Write(writer, jobs, omitDefaults);

    public static void Write(Utf8JsonWriter writer, IReadOnlyList<JobInfo> jobs, bool omitDefaults = false)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(Jobs);
        using var repeated = new RepeatedValues();
        foreach (var job in jobs)
        {
            JobViewWriter.Write(writer, job, repeated, omitDefaults);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
