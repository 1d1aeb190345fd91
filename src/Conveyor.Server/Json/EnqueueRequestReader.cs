using System.Text.Json;
using System.Text.Unicode;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Core.Jobs;
using Conveyor.Broker;
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
    /// <summary>One job (<c>POST /v1/jobs</c>).</summary>
    public static EnqueueRequest ReadJob(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, Options);
        Next(ref reader);
        var job = ReadJob(ref reader, body) ?? throw new JsonException("the body must be a JSON object, not null");
        End(ref reader);
        return job;
    }

    /// <summary>
    /// A batch read straight into specs (<c>POST /v1/jobs/batch</c>): each job is read into one reused wire object and
    /// mapped at once, so a thousand-job batch makes no thousand wire objects. A job the mapping refuses is reported
    /// only once the whole body has read well: malformed JSON anywhere is a 400 before any 422.
    /// </summary>
    public static IReadOnlyList<JobSpec> ReadBatchSpecs(ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var reader = new Utf8JsonReader(body, Options);
        Next(ref reader);
        Expect(ref reader, JsonTokenType.StartObject, "the body");
        List<JobSpec>? specs = null;
        RequestRejectedException? rejected = null;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("jobs"u8))
            {
                Next(ref reader);
                rejected = null; // the last "jobs" wins, with its own verdict
                specs = ReadSpecs(ref reader, body, now, ref rejected);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        End(ref reader);
        return rejected is not null ? throw rejected : specs ?? throw new RequestRejectedException("jobs", "required");
    }

    private static List<JobSpec>? ReadSpecs(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, DateTimeOffset now, ref RequestRejectedException? rejected)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartArray, "jobs");
        var specs = new List<JobSpec>();
        var queues = new RepeatedStrings();
        var types = new RepeatedStrings();
        var wire = new EnqueueRequest();
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return specs;
            }

            var job = ReadJob(ref reader, body, queues, types, wire);
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

    /// <summary>One job, or null for a JSON null; into <paramref name="into"/> (every field set) when given, else a new object.</summary>
    private static EnqueueRequest? ReadJob(
        ref Utf8JsonReader reader, ReadOnlySpan<byte> body, RepeatedStrings? queues = null, RepeatedStrings? types = null, EnqueueRequest? into = null)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject, "a job");
        string? id = null, queue = null, type = null, uniqueKey = null, backoff = null;
        RawJson args = RawJson.EmptyArray;
        int? priority = null, maxAttempts = null, leaseSeconds = null, uniqueForSeconds = null;
        long? delayMs = null;
        DateTimeOffset? runAt = null;
        bool? dead = null;
        List<string>? tags = null;
        Dictionary<string, string>? meta = null;
        while (NextProperty(ref reader))
        {
            var property = Property(PropertyName(ref reader));
            Next(ref reader);
            switch (property)
            {
                case JobProperty.Id: id = String(ref reader, "id"); break;
                case JobProperty.Queue: queue = queues is null ? String(ref reader, "queue") : queues.Read(ref reader, "queue"); break;
                case JobProperty.Type: type = types is null ? String(ref reader, "type") : types.Read(ref reader, "type"); break;
                case JobProperty.Args: args = Raw(ref reader, body); break;
                case JobProperty.Priority: priority = Int32(ref reader, "priority"); break;
                case JobProperty.RunAt: runAt = Time(ref reader, "run_at"); break;
                case JobProperty.DelayMs: delayMs = Int64(ref reader, "delay_ms"); break;
                case JobProperty.MaxAttempts: maxAttempts = Int32(ref reader, "max_attempts"); break;
                case JobProperty.Dead: dead = Bool(ref reader, "dead"); break;
                case JobProperty.LeaseSeconds: leaseSeconds = Int32(ref reader, "lease_seconds"); break;
                case JobProperty.UniqueKey: uniqueKey = String(ref reader, "unique_key"); break;
                case JobProperty.UniqueForSeconds: uniqueForSeconds = Int32(ref reader, "unique_for_seconds"); break;
                case JobProperty.Tags: tags = Strings(ref reader, "tags", keepNullItems: false); break;
                case JobProperty.Meta: meta = Map(ref reader); break;
                case JobProperty.Backoff: backoff = String(ref reader, "backoff"); break;
                default: reader.Skip(); break;
            }
        }

        var job = into ?? new EnqueueRequest();
        job.Id = id;
        job.Queue = queue;
        job.Type = type;
        job.Args = args;
        job.Priority = priority;
        job.RunAt = runAt;
        job.DelayMs = delayMs;
        job.MaxAttempts = maxAttempts;
        job.Dead = dead;
        job.LeaseSeconds = leaseSeconds;
        job.UniqueKey = uniqueKey;
        job.UniqueForSeconds = uniqueForSeconds;
        job.Tags = tags;
        job.Meta = meta;
        job.Backoff = backoff;
        return job;
    }

    private enum JobProperty
    {
        Unknown,
        Id,
        Queue,
        Type,
        Args,
        Priority,
        RunAt,
        DelayMs,
        MaxAttempts,
        Dead,
        LeaseSeconds,
        UniqueKey,
        UniqueForSeconds,
        Tags,
        Meta,
        Backoff,
    }

    private static JobProperty Property(ReadOnlySpan<byte> name) => name switch
    {
        _ when name.SequenceEqual("id"u8) => JobProperty.Id,
        _ when name.SequenceEqual("queue"u8) => JobProperty.Queue,
        _ when name.SequenceEqual("type"u8) => JobProperty.Type,
        _ when name.SequenceEqual("args"u8) => JobProperty.Args,
        _ when name.SequenceEqual("priority"u8) => JobProperty.Priority,
        _ when name.SequenceEqual("run_at"u8) => JobProperty.RunAt,
        _ when name.SequenceEqual("delay_ms"u8) => JobProperty.DelayMs,
        _ when name.SequenceEqual("max_attempts"u8) => JobProperty.MaxAttempts,
        _ when name.SequenceEqual("dead"u8) => JobProperty.Dead,
        _ when name.SequenceEqual("lease_seconds"u8) => JobProperty.LeaseSeconds,
        _ when name.SequenceEqual("unique_key"u8) => JobProperty.UniqueKey,
        _ when name.SequenceEqual("unique_for_seconds"u8) => JobProperty.UniqueForSeconds,
        _ when name.SequenceEqual("tags"u8) => JobProperty.Tags,
        _ when name.SequenceEqual("meta"u8) => JobProperty.Meta,
        _ when name.SequenceEqual("backoff"u8) => JobProperty.Backoff,
        _ => JobProperty.Unknown,
    };

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

    private static int? Int32(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number when reader.TryGetInt32(out var value) => value,
        _ => throw WrongType(field, "a 32-bit integer"),
    };

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

    /// <summary>
    /// A field whose value repeats from job to job of a batch (queue, type): bytes equal to the last job's reuse its
    /// string instead of decoding a new one, so a batch of a thousand jobs of one type holds one type string.
    /// </summary>
    private sealed class RepeatedStrings
    {
        private byte[] lastBytes = [];
        private string? last;

        public string? Read(ref Utf8JsonReader reader, string field)
        {
            if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
            {
                return String(ref reader, field);
            }

            var bytes = reader.ValueSpan;
            if (last is not null && bytes.SequenceEqual(lastBytes))
            {
                return last;
            }

            // Decoding checks the bytes (invalid UTF-8 is malformed), so only checked bytes are remembered.
            last = Text(ref reader, field);
            lastBytes = bytes.ToArray();
            return last;
        }
    }
}
