using System.Text.Json;
using Conveyor.Core.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Conveyor.Server.Json;

/// <summary>
/// The answer to a fetch, <c>{"jobs": [...]}</c> (the wire <c>FetchResponse</c>), written with
/// <see cref="JobViewWriter"/> straight into the response body; with <paramref name="omitDefaults"/> (the request's
/// <c>omit_defaults</c>) each view leaves out its members at their defaults. When the answer cannot be built or sent,
/// <paramref name="release"/> hands the leases back, so no job stays leased to a worker that never heard of it.
/// </summary>
internal sealed class FetchResult(IReadOnlyList<JobInfo> jobs, bool omitDefaults = false, Func<IReadOnlyList<JobInfo>, ValueTask<int>>? release = null)
    : JsonWriterResult
{
    private static readonly JsonEncodedText Jobs = JsonEncodedText.Encode("jobs");

    protected override void WriteBody(Utf8JsonWriter writer) => Write(writer, jobs, omitDefaults);

    protected override bool MayBeUndelivered => release is not null && jobs.Count > 0;

    protected override TimeSpan DeliveryWaitLimit(HttpContext httpContext)
    {
        // Past the first lease's expiry there is nothing left to hand back early.
        var time = httpContext.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var expires = jobs.Min(job => job.Lease?.ExpiresAt) ?? time.GetUtcNow();
        var left = expires - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    protected override async ValueTask OnNotDeliveredAsync()
    {
        if (release is not null && jobs.Count > 0)
        {
            await release(jobs).ConfigureAwait(false);
        }
    }

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
