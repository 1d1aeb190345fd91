using System.Collections.ObjectModel;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Workers;

namespace Conveyor.Contracts.Json;

/// <summary>
/// One <see cref="Utf8JsonReader"/> pass over a whole response body, reading what <see cref="ConveyorJsonContext"/>
/// reads for the answers workers and producers read most (fetch, settle, batch enqueue): snake_case names, unknown
/// members skipped, the same defaults, <see cref="JsonException"/> for anything malformed.
/// </summary>
internal ref struct ResponseParser(ReadOnlySpan<byte> input)
{
    private static readonly byte[][] FetchNames = [.. new[] { "jobs" }.Select(Encoding.UTF8.GetBytes)];

    private static readonly byte[][] JobNames = [.. new[]
    {
        "id", "queue", "type", "args", "priority", "state", "attempt", "max_attempts", "dead", "lease_seconds", "created_at",
        "run_at", "finished_at", "unique_key", "tags", "meta", "backoff", "failures", "lease",
    }.Select(Encoding.UTF8.GetBytes)];

    private static readonly byte[][] FailureNames = [.. new[] { "attempt", "at", "error_type", "message", "backtrace" }.Select(Encoding.UTF8.GetBytes)];

    private static readonly byte[][] SettleNames = [.. new[] { "results" }.Select(Encoding.UTF8.GetBytes)];

    private static readonly byte[][] SettleItemNames = [.. new[] { "id", "status" }.Select(Encoding.UTF8.GetBytes)];

    private static readonly (byte[] Utf8, string Text)[] Statuses = [.. new[] { "ok", "stale", "unknown" }.Select(s => (Encoding.UTF8.GetBytes(s), s))];

    private static readonly byte[][] EnqueueBatchNames = [.. new[] { "ids" }.Select(Encoding.UTF8.GetBytes)];

    private static readonly byte[][] LeaseNames = [.. new[] { "token", "worker_id", "expires_at" }.Select(Encoding.UTF8.GetBytes)];

    private readonly ReadOnlySpan<byte> input = input;
    private Utf8JsonReader reader = new(input);

    /// <summary>The settle request this answers, if known: its ids, acks then fails, are the answer's in order.</summary>
    private SettleRequest? sent;

    /// <summary>The index in its list of the item being read (set by <see cref="ReadList{T, TItem}"/>).</summary>
    private int itemIndex;

    // Values that repeat from job to job of one fetch: equal bytes reuse the last job's string or date.
    private Repeated<string?> queues = new(StringReader);
    private Repeated<string?> types = new(StringReader);
    private Repeated<string?> states = new(StringReader);
    private Repeated<string?> backoffs = new(StringReader);
    private Repeated<string?> workers = new(StringReader);
    private Repeated<DateTimeOffset> created = new(DateReader);
    private Repeated<DateTimeOffset> expiries = new(DateReader);

    public delegate T Reader<out T>(ref ResponseParser parser);

    private static readonly Reader<string?> StringReader = static (ref ResponseParser p) => p.ReadString();

    private static readonly Reader<DateTimeOffset> DateReader = static (ref ResponseParser p) => p.ReadDate();

    /// <summary>Parses <paramref name="utf8"/> with <paramref name="read"/>; invalid UTF-8 in a string and the like are <see cref="JsonException"/>s, as in the serializer.</summary>
    public static T Parse<T>(ReadOnlySpan<byte> utf8, Reader<T> read)
    {
        var parser = new ResponseParser(utf8);
        try
        {
            return read(ref parser);
        }
        catch (InvalidOperationException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    /// <summary>As <see cref="Parse{T}(ReadOnlySpan{byte}, Reader{T})"/>, for the answer to <paramref name="sent"/> (see <see cref="ReadSentId"/>).</summary>
    public static SettleResponse ParseSettleResponse(ReadOnlySpan<byte> utf8, SettleRequest? sent) =>
        Parse(utf8, (ref ResponseParser p) =>
        {
            p.sent = sent;
            return p.ReadSettleResponse();
        });

    public FetchResponse ReadFetchResponse() => new(ReadListResponse<JobView, JobItem>(FetchNames)!);

    public SettleResponse ReadSettleResponse() => new(ReadListResponse<SettleItemResult, SettleItem>(SettleNames)!);

    public EnqueueBatchResponse ReadEnqueueBatchResponse() => new(ReadListResponse<string, StringItem>(EnqueueBatchNames)!);

    /// <summary>A whole answer that is one object with one list member (<paramref name="names"/>); null when it is absent or null, as the serializer reads it.</summary>
    private List<T>? ReadListResponse<T, TItem>(byte[][] names)
        where TItem : struct, IItemReader<T>
    {
        Next();
        RequireObject();
        List<T>? list = null;
        var properties = new PropertyReader(names);
        while (properties.Next(ref reader) is 0)
        {
            list = ReadList<T, TItem>();
        }

        if (reader.Read())
        {
            throw new JsonException("more than one JSON value");
        }

        return list;
    }

    private SettleItemResult ReadSettleItem()
    {
        RequireObject();
        string? id = null, status = null;
        var properties = new PropertyReader(SettleItemNames);
        while (properties.Next(ref reader) is var property and >= 0)
        {
            switch (property)
            {
                case 0: id = ReadSentId(); break;
                default: status = ReadStatus(); break;
            }
        }

        return new SettleItemResult(id!, status!);
    }

    /// <summary>
    /// A settle item's id: when it is, byte for byte, the id sent at the item's place, that string (a worker reads a
    /// thousand of them per batch and looks only at the statuses); otherwise a new one, as <see cref="ReadString"/>.
    /// </summary>
    private readonly string? ReadSentId()
    {
        if (sent is not null && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
        {
            var acks = sent.Ack?.Count ?? 0;
            var fails = sent.Fail?.Count ?? 0;
            var item = itemIndex < acks ? sent.Ack![itemIndex]?.Id : itemIndex - acks < fails ? sent.Fail![itemIndex - acks]?.Id : null;

            // Unescaped ASCII bytes equal to the id's characters decode to exactly that string.
            if (item is not null && Ascii.Equals(reader.ValueSpan, item))
            {
                return item;
            }
        }

        return ReadString();
    }

    /// <summary>A settle status, as the shared string when it is one of the three the server writes.</summary>
    private readonly string? ReadStatus()
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
        {
            foreach (var known in Statuses)
            {
                if (reader.ValueSpan.SequenceEqual(known.Utf8))
                {
                    return known.Text;
                }
            }
        }

        return ReadString();
    }

    private JobView ReadJob()
    {
        RequireObject();
        var job = new JobView();
        var properties = new PropertyReader(JobNames);
        while (properties.Next(ref reader) is var property and >= 0)
        {
            switch (property)
            {
                case 0: job.Id = ReadString()!; break;
                case 1: job.Queue = queues.Read(ref this)!; break;
                case 2: job.Type = types.Read(ref this)!; break;
                case 3: job.Args = ReadRaw(); break;
                case 4: job.Priority = ReadInt(); break;
                case 5: job.State = states.Read(ref this)!; break;
                case 6: job.Attempt = ReadInt(); break;
                case 7: job.MaxAttempts = ReadInt(); break;
                case 8: job.Dead = ReadBool(); break;
                case 9: job.LeaseSeconds = ReadInt(); break;
                case 10: job.CreatedAt = created.Read(ref this); break;
                case 11: job.RunAt = ReadNullableDate(); break;
                case 12: job.FinishedAt = ReadNullableDate(); break;
                case 13: job.UniqueKey = ReadString(); break;
                case 14: job.Tags = ReadJobList<string, StringItem>()!; break;
                case 15: job.Meta = ReadMeta()!; break;
                case 16: job.Backoff = backoffs.Read(ref this)!; break;
                case 17: job.Failures = ReadJobList<FailureView, FailureItem>()!; break;
                default: job.Lease = reader.TokenType == JsonTokenType.Null ? null : ReadLease(); break;
            }
        }

        return job;
    }

    private FailureView ReadFailure()
    {
        RequireObject();
        int attempt = 0;
        DateTimeOffset at = default;
        string? errorType = null, message = null;
        IReadOnlyList<string>? backtrace = null;
        var properties = new PropertyReader(FailureNames);
        while (properties.Next(ref reader) is var property and >= 0)
        {
            switch (property)
            {
                case 0: attempt = ReadInt(); break;
                case 1: at = ReadDate(); break;
                case 2: errorType = ReadString(); break;
                case 3: message = ReadString(); break;
                default: backtrace = ReadList<string, StringItem>(); break;
            }
        }

        return new FailureView(attempt, at, errorType!, message!, backtrace!);
    }

    private LeaseView ReadLease()
    {
        RequireObject();
        string? token = null, workerId = null;
        DateTimeOffset expiresAt = default;
        var properties = new PropertyReader(LeaseNames);
        while (properties.Next(ref reader) is var property and >= 0)
        {
            switch (property)
            {
                case 0: token = ReadString(); break;
                case 1: workerId = workers.Read(ref this); break;
                default: expiresAt = expiries.Read(ref this); break;
            }
        }

        return new LeaseView(token!, workerId, expiresAt);
    }

    /// <summary>A job's list (tags, failures): as <see cref="ReadList{T, TItem}"/>, but <c>[]</c> is the shared empty array, as most jobs' are.</summary>
    private IReadOnlyList<T>? ReadJobList<T, TItem>()
        where TItem : struct, IItemReader<T>
    {
        if (reader.TokenType == JsonTokenType.StartArray && IsEmpty(JsonTokenType.EndArray))
        {
            return [];
        }

        return ReadList<T, TItem>();
    }

    /// <summary>An array of <typeparamref name="T"/>, or null; a null item reads as null, as the serializer does.</summary>
    private List<T>? ReadList<T, TItem>()
        where TItem : struct, IItemReader<T>
    {
        if (!StartList())
        {
            return null;
        }

        var list = new List<T>();
        while (NextItem())
        {
            itemIndex = list.Count;
            list.Add(reader.TokenType == JsonTokenType.Null ? default! : default(TItem).Read(ref this));
        }

        return list;
    }

    private IReadOnlyDictionary<string, string>? ReadMeta()
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        RequireObject();
        if (IsEmpty(JsonTokenType.EndObject))
        {
            return ReadOnlyDictionary<string, string>.Empty;
        }

        var meta = new Dictionary<string, string>();
        while (true)
        {
            Next();
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return meta;
            }

            var key = reader.GetString()!;
            Next();
            meta[key] = ReadString()!;
        }
    }

    /// <summary>Any value as its raw bytes (copied out of the body), <c>[]</c> as the shared empty array: what <see cref="RawJsonConverter"/> reads.</summary>
    private RawJson ReadRaw()
    {
        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType == JsonTokenType.StartArray && IsEmpty(JsonTokenType.EndArray))
        {
            return RawJson.EmptyArray;
        }

        reader.Skip();
        var raw = input[start..(int)reader.BytesConsumed];
        if (!Utf8.IsValid(raw))
        {
            throw new JsonException("the value is not valid UTF-8");
        }

        return new RawJson(raw.ToArray());
    }

    /// <summary>
    /// At an array's or object's start written with nothing between its brackets (<c>[]</c>, <c>{}</c>): moves to its
    /// end and returns true. Otherwise moves nothing.
    /// </summary>
    private bool IsEmpty(JsonTokenType end)
    {
        // The byte after the opening one, not a copy of the reader to look ahead with: the reader is a large struct
        // with references in it, and copying it (as passing it by value) costs a bulk copy with write barriers.
        var next = reader.TokenStartIndex + 1;
        if (next < input.Length && input[(int)next] == (end == JsonTokenType.EndArray ? (byte)']' : (byte)'}'))
        {
            Next();
            return true;
        }

        return false;
    }

    private readonly string? ReadString() => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        _ => throw Mismatch("a string"),
    };

    private readonly int ReadInt() =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value : throw Mismatch("a 32-bit integer");

    private readonly bool ReadBool() => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Mismatch("true or false"),
    };

    private readonly DateTimeOffset ReadDate() =>
        reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var value) ? value : throw Mismatch("an ISO 8601 date");

    private readonly DateTimeOffset? ReadNullableDate() => reader.TokenType == JsonTokenType.Null ? null : ReadDate();

    /// <summary>At an array's start: true; at null: false (the list is null); anything else is refused.</summary>
    private readonly bool StartList() => reader.TokenType switch
    {
        JsonTokenType.Null => false,
        JsonTokenType.StartArray => true,
        _ => throw Mismatch("an array"),
    };

    /// <summary>Moves to the list's next item; false at its end.</summary>
    private bool NextItem()
    {
        Next();
        return reader.TokenType != JsonTokenType.EndArray;
    }

    private readonly void RequireObject()
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Mismatch("an object");
        }
    }

    private void Next()
    {
        if (!reader.Read())
        {
            throw new JsonException("the JSON ends early");
        }
    }

    private readonly JsonException Mismatch(string expected) =>
        new($"expected {expected} at byte {reader.TokenStartIndex}, found {reader.TokenType}");

    /// <summary>
    /// A field whose value repeats from job to job of one fetch (queue, type, state, backoff, creation time — jobs
    /// enqueued in one batch share it —, lease worker and expiry):
    /// bytes equal to the last value's reuse it instead of decoding again.
    /// </summary>
    private struct Repeated<T>(Reader<T> read)
    {
        private byte[]? lastBytes;
        private T last = default!;

        public T Read(ref ResponseParser parser)
        {
            ref readonly var reader = ref parser.reader;
            if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
            {
                return read(ref parser);
            }

            var bytes = reader.ValueSpan;
            if (lastBytes is not null && bytes.SequenceEqual(lastBytes))
            {
                return last;
            }

            // Decoding checks the bytes (invalid UTF-8 is malformed), so only checked bytes are remembered.
            last = read(ref parser);
            lastBytes = bytes.ToArray();
            return last;
        }
    }

    private interface IItemReader<T>
    {
        T Read(ref ResponseParser parser);
    }

    private readonly struct JobItem : IItemReader<JobView>
    {
        public JobView Read(ref ResponseParser parser) => parser.ReadJob();
    }

    private readonly struct FailureItem : IItemReader<FailureView>
    {
        public FailureView Read(ref ResponseParser parser) => parser.ReadFailure();
    }

    private readonly struct SettleItem : IItemReader<SettleItemResult>
    {
        public SettleItemResult Read(ref ResponseParser parser) => parser.ReadSettleItem();
    }

    private readonly struct StringItem : IItemReader<string>
    {
        public string Read(ref ResponseParser parser) => parser.ReadString()!;
    }

    /// <summary>Walks an object's properties; names are expected in order (as the server writes them), any order works.</summary>
    private struct PropertyReader(byte[][] names)
    {
        private int expected;

        /// <summary>Moves to the next known property's value and returns its index; -1 at the object's end. Unknown properties are skipped.</summary>
        public int Next(ref Utf8JsonReader reader)
        {
            while (true)
            {
                Read(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    return -1;
                }

                var index = Match(ref reader);
                Read(ref reader);
                if (index >= 0)
                {
                    expected = index + 1;
                    return index;
                }

                reader.Skip();
            }
        }

        private static void Read(ref Utf8JsonReader reader)
        {
            if (!reader.Read())
            {
                throw new JsonException("the JSON ends early");
            }
        }

        private readonly int Match(ref readonly Utf8JsonReader reader)
        {
            // Members come in the order written, some left out (a lean fetch answer): look ahead first, then behind.
            for (var i = expected; i < names.Length; i++)
            {
                if (reader.ValueTextEquals(names[i]))
                {
                    return i;
                }
            }

            for (var i = 0; i < expected && i < names.Length; i++)
            {
                if (reader.ValueTextEquals(names[i]))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
