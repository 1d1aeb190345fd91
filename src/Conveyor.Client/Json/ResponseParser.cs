using System.Collections.ObjectModel;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;

namespace Conveyor.Client.Json;

/// <summary>
/// One <see cref="Utf8JsonReader"/> pass over a whole response body, reading what <see cref="ConveyorJsonContext"/>
/// reads for the answers workers and producers read most (fetch, settle, batch enqueue): snake_case names, unknown
/// members skipped, the same defaults, <see cref="JsonException"/> for anything malformed. The members of each
/// answer are in its reader's table (<see cref="FetchResponseReader"/>, <see cref="JobViewReader"/>, ...); this
/// holds the token steps they share and the values that repeat from job to job.
/// </summary>
internal ref struct ResponseParser(ReadOnlySpan<byte> input)
{
    // Values that repeat from job to job of one fetch (jobs enqueued in one batch share their creation time, jobs
    // leased by one fetch their worker and expiry): equal bytes reuse the last job's string or date.
    public LastValue<string?> Queues;
    public LastValue<string?> Types;
    public LastValue<string?> States;
    public LastValue<string?> Backoffs;
    public LastValue<string?> WorkerIds;
    public LastValue<DateTimeOffset> Created;
    public LastValue<DateTimeOffset> Expiries;

    private readonly ReadOnlySpan<byte> input = input;
    private Utf8JsonReader reader = new(input);

    public delegate T Reader<out T>(ref ResponseParser parser);

    /// <summary>The settle request this answers, if known: its ids, acks then fails, are the answer's in order.</summary>
    public SettleRequest? Sent { get; private set; }

    /// <summary>The index in its list of the item being read (set by <see cref="ReadList{T}"/>).</summary>
    public int ItemIndex { get; private set; }

    public readonly bool IsNull => reader.TokenType == JsonTokenType.Null;

    /// <summary>Parses <paramref name="utf8"/> with <paramref name="read"/>; invalid UTF-8 in a string and the like are <see cref="JsonException"/>s, as in the serializer.</summary>
    public static T Parse<T>(ReadOnlySpan<byte> utf8, Reader<T> read, SettleRequest? sent = null)
    {
        var parser = new ResponseParser(utf8) { Sent = sent };
        try
        {
            return read(ref parser);
        }
        catch (InvalidOperationException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    /// <summary>A whole body that is one object of <paramref name="members"/>, read into <paramref name="into"/>; nothing may follow it.</summary>
    public void ReadRoot<T>(JsonMemberTable<ResponseMember<T>> members, ref T into)
    {
        Next();
        ReadObject(members, ref into);
        if (reader.Read())
        {
            throw new JsonException("more than one JSON value");
        }
    }

    /// <summary>The object the parser is on, each known member read by its table entry into <paramref name="into"/>; unknown members skipped.</summary>
    public void ReadObject<T>(JsonMemberTable<ResponseMember<T>> members, ref T into)
    {
        RequireObject();
        var next = 0;
        while (true)
        {
            Next();
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            var member = members.Find(ref reader, ref next);
            Next();
            if (member is null)
            {
                reader.Skip();
            }
            else
            {
                member.Access(ref this, ref into);
            }
        }
    }

    /// <summary>An array, or null; a null item reads as null, as the serializer does.</summary>
    /// <remarks>Pass a lambda, not a method group: a method group makes a new delegate on every call, once per job for a job's lists.</remarks>
    public List<T>? ReadList<T>(ResponseItem<T> item)
    {
        if (!StartList())
        {
            return null;
        }

        var list = new List<T>();
        while (NextItem())
        {
            ItemIndex = list.Count;
            list.Add(reader.TokenType == JsonTokenType.Null ? default! : item(ref this));
        }

        return list;
    }

    /// <summary>A job's list (tags, failures): as <see cref="ReadList{T}"/>, but <c>[]</c> is the shared empty array, as most jobs' are.</summary>
    public IReadOnlyList<T>? ReadJobList<T>(ResponseItem<T> item)
    {
        if (reader.TokenType == JsonTokenType.StartArray && IsEmpty(JsonTokenType.EndArray))
        {
            return [];
        }

        return ReadList(item);
    }

    public IReadOnlyDictionary<string, string>? ReadMeta()
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
    public RawJson ReadRaw()
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

    public readonly string? ReadString() => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        _ => throw Mismatch("a string"),
    };

    /// <summary>
    /// A string that is, when unescaped, byte for byte <paramref name="known"/>: that string (a worker reads a thousand
    /// settle ids per batch and looks only at the statuses); any other as <see cref="ReadString()"/>.
    /// </summary>
    public readonly string? ReadString(string? known) => ReadString(new ReadOnlySpan<string?>(in known));

    /// <summary>As <see cref="ReadString(string?)"/>, for a string that is usually one of a few (a settle status).</summary>
    public readonly string? ReadString(ReadOnlySpan<string?> known)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
        {
            foreach (var value in known)
            {
                // Unescaped ASCII bytes equal to the string's characters decode to exactly that string.
                if (value is not null && Ascii.Equals(reader.ValueSpan, value))
                {
                    return value;
                }
            }
        }

        return ReadString();
    }

    /// <summary>A string that repeats from job to job: bytes equal to the last ones reuse its string.</summary>
    public readonly string? ReadString(ref LastValue<string?> last) => Repeated(ref last, static (ref readonly ResponseParser p) => p.ReadString());

    /// <summary>A date that repeats from job to job: bytes equal to the last ones reuse its value.</summary>
    public readonly DateTimeOffset ReadDate(ref LastValue<DateTimeOffset> last) => Repeated(ref last, static (ref readonly ResponseParser p) => p.ReadDate());

    public readonly int ReadInt() =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value : throw Mismatch("a 32-bit integer");

    public readonly bool ReadBool() => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Mismatch("true or false"),
    };

    public readonly DateTimeOffset ReadDate() =>
        reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var value) ? value : throw Mismatch("an ISO 8601 date");

    public readonly DateTimeOffset? ReadNullableDate() => reader.TokenType == JsonTokenType.Null ? null : ReadDate();

    private readonly T Repeated<T>(ref LastValue<T> last, Decode<T> decode)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return decode(in this);
        }

        var bytes = reader.ValueSpan;
        if (last.TryGet(bytes, out var value))
        {
            return value;
        }

        // Decoding checks the bytes (invalid UTF-8 is malformed), so only checked bytes are remembered.
        value = decode(in this);
        last.Remember(bytes, value);
        return value;
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

    private delegate T Decode<out T>(ref readonly ResponseParser parser);
}
