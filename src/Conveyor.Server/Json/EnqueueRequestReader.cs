using System.Text.Json;
using System.Text.Unicode;
using Conveyor.Broker;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Core.Jobs;
using Conveyor.Server.Mapping;
using static Conveyor.Server.Json.JsonTokens;

namespace Conveyor.Server.Json;

/// <summary>
/// Reads enqueue bodies (<c>POST /v1/jobs</c> and <c>/v1/jobs/batch</c>) straight off a buffered body with
/// <see cref="Utf8JsonReader"/>: the same wire format <see cref="ConveyorJsonContext"/> writes (snake_case,
/// exact names, strict numbers, unknown members skipped, last duplicate wins), about five times cheaper than the
/// generic converters, and each job's <c>args</c> sliced from the body as raw bytes without a <see cref="JsonDocument"/>.
/// </summary>
/// <remarks>
/// It reads into the <see cref="EnqueueRequest"/> wire type, so defaults and checks stay in one place
/// (<c>JobSpecMapping</c>); the parity with the serializer (then the mapping) is a property test. Malformed input
/// throws <see cref="JsonException"/>; a job the mapping refuses, <see cref="RequestRejectedException"/>.
/// </remarks>
internal static class EnqueueRequestReader
{
    /// <summary>The members of <see cref="EnqueueRequest"/>; a member left out keeps the request's initial value.</summary>
    public static readonly JsonMemberTable<RequestMember<Reading>> Members = new([
        new("id", static (ref r, _, ref into) => into.Job.Id = String(ref r, "id")),
        new("queue", static (ref r, _, ref into) => into.Job.Queue = String(ref r, "queue", ref into.Queues)),
        new("type", static (ref r, _, ref into) => into.Job.Type = String(ref r, "type", ref into.Types)),
        new("args", static (ref r, body, ref into) => into.Job.Args = Raw(ref r, body)),
        new("priority", static (ref r, _, ref into) => into.Job.Priority = Int32(ref r, "priority")),
        new("run_at", static (ref r, _, ref into) => into.Job.RunAt = Time(ref r, "run_at")),
        new("delay_ms", static (ref r, _, ref into) => into.Job.DelayMs = Int64(ref r, "delay_ms")),
        new("max_attempts", static (ref r, _, ref into) => into.Job.MaxAttempts = Int32(ref r, "max_attempts")),
        new("dead", static (ref r, _, ref into) => into.Job.Dead = Bool(ref r, "dead")),
        new("lease_seconds", static (ref r, _, ref into) => into.Job.LeaseSeconds = Int32(ref r, "lease_seconds")),
        new("unique_key", static (ref r, _, ref into) => into.Job.UniqueKey = String(ref r, "unique_key")),
        new("unique_for_seconds", static (ref r, _, ref into) => into.Job.UniqueForSeconds = Int32(ref r, "unique_for_seconds")),
        new("unique_until", static (ref r, _, ref into) => into.Job.UniqueUntil = String(ref r, "unique_until")),
        new("unique_by_args", static (ref r, _, ref into) => into.Job.UniqueByArgs = Bool(ref r, "unique_by_args")),
        new("timeout_seconds", static (ref r, _, ref into) => into.Job.TimeoutSeconds = Int32(ref r, "timeout_seconds")),
        new("tags", static (ref r, _, ref into) => into.Job.Tags = Strings(ref r, "tags", keepNullItems: false)),
        new("meta", static (ref r, _, ref into) => into.Job.Meta = Map(ref r)),
        new("backoff", static (ref r, _, ref into) => into.Job.Backoff = String(ref r, "backoff")),
    ]);

    /// <summary>The members of <see cref="EnqueueBatchRequest"/>.</summary>
    internal static readonly JsonMemberTable<RequestMember<BatchReading>> BatchMembers = new([
        new("jobs", static (ref r, body, ref into) =>
        {
            into.Rejected = null; // the last "jobs" wins, with its own verdict
            into.Specs = ReadSpecs(ref r, body, into.Now, ref into.Rejected);
        }),
    ]);

    /// <summary>One job (<c>POST /v1/jobs</c>).</summary>
    public static EnqueueRequest ReadJob(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, Options);
        Next(ref reader);
        var reading = default(Reading);
        var job = ReadJob(ref reader, body, ref reading) ?? throw new JsonException("the body must be a JSON object, not null");
        End(ref reader);
        return job;
    }

    /// <summary>
    /// A batch read straight into specs (<c>POST /v1/jobs/batch</c>): each job is read into one reused wire object and
    /// mapped at once, so a thousand-job batch makes no thousand wire objects. A job the mapping refuses is reported only once the whole
    /// body has read well: malformed JSON anywhere is a 400 before any 422.
    /// </summary>
    public static IReadOnlyList<JobSpec> ReadBatchSpecs(ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var reader = new Utf8JsonReader(body, Options);
        Next(ref reader);
        Expect(ref reader, JsonTokenType.StartObject, "the body");
        var batch = new BatchReading { Now = now };
        ReadObject(ref reader, body, BatchMembers, ref batch);
        End(ref reader);
        return batch.Rejected is not null ? throw batch.Rejected : batch.Specs ?? throw new RequestRejectedException("jobs", "required");
    }

    private static List<JobSpec>? ReadSpecs(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, DateTimeOffset now, ref RequestRejectedException? rejected)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartArray, "jobs");
        var specs = new List<JobSpec>();
        var reading = default(Reading);
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return specs;
            }

            var job = ReadJob(ref reader, body, ref reading);
            if (rejected is not null)
            {
                continue; // the batch is refused already: only check that the rest is well-formed JSON
            }

            try
            {
                specs.Add(JobSpecMapping.ToSpec(job, now, specs.Count));
            }
            catch (RequestRejectedException ex)
            {
                rejected = ex;
            }
        }
    }

    /// <summary>One job, or null for a JSON null, into <paramref name="reading"/>'s wire object (reset first); it also carries the batch's last queue and type from job to job.</summary>
    private static EnqueueRequest? ReadJob(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ref Reading reading)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject, "a job");
        reading.Job = reading.Job is null ? new EnqueueRequest() : Reset(reading.Job);
        ReadObject(ref reader, body, Members, ref reading);
        return reading.Job;
    }

    /// <summary>
    /// Sets every member of <paramref name="job"/> back to its initial value, so that a batch reads all its jobs into one
    /// wire object (each is mapped to a spec before the next is read): a new one per job was 40 % more garbage per batch.
    /// A test compares the result with a new <see cref="EnqueueRequest"/>, so a member added to it and not here fails.
    /// </summary>
    internal static EnqueueRequest Reset(EnqueueRequest job)
    {
        job.Id = null;
        job.Queue = null;
        job.Type = null;
        job.Args = RawJson.EmptyArray;
        job.Priority = null;
        job.RunAt = null;
        job.DelayMs = null;
        job.MaxAttempts = null;
        job.Dead = null;
        job.LeaseSeconds = null;
        job.UniqueKey = null;
        job.UniqueForSeconds = null;
        job.UniqueUntil = null;
        job.UniqueByArgs = null;
        job.TimeoutSeconds = null;
        job.Tags = null;
        job.Meta = null;
        job.Backoff = null;
        return job;
    }

    /// <summary>The value's bytes as sent; <c>[]</c> is the shared empty array. The reader does not check UTF-8 inside strings, so this does.</summary>
    private static RawJson Raw(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var raw = body[start..(int)reader.BytesConsumed];
        if (raw.SequenceEqual("[]"u8))
        {
            return RawJson.EmptyArray;
        }

        if (!Utf8.IsValid(raw))
        {
            throw new JsonException("args: the value is not valid UTF-8");
        }

        return new RawJson(raw.ToArray());
    }

    private static bool? Bool(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw WrongType(field, "true or false"),
    };

    private static DateTimeOffset? Time(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String when reader.TryGetDateTimeOffset(out var value) => value,
        _ => throw WrongType(field, "an RFC 3339 date and time"),
    };

    private static Dictionary<string, string>? Map(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject, "meta");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        while (NextProperty(ref reader))
        {
            var key = Text(ref reader, "meta");
            Next(ref reader);
            values[key] = reader.TokenType == JsonTokenType.String ? Text(ref reader, "meta") : throw WrongType("meta", "an object of strings");
        }

        return values;
    }

    /// <summary>The job being read, and the last queue and type of its batch (jobs of one batch mostly share them).</summary>
    internal struct Reading
    {
        public EnqueueRequest Job;
        public LastValue<string?> Queues;
        public LastValue<string?> Types;
    }

    /// <summary>A batch body being read: its specs so far, or the first job the mapping refused.</summary>
    internal struct BatchReading
    {
        public DateTimeOffset Now;
        public List<JobSpec>? Specs;
        public RequestRejectedException? Rejected;
    }
}
