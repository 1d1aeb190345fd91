using System.Text.Json;
using Conveyor.Contracts.Json;
using Conveyor.Core.Jobs;

namespace Conveyor.Server.Json;

/// <summary>
/// The token steps the hand-written request readers share, each matching what <c>ConveyorJsonContext</c> accepts:
/// strict numbers, exact names (escapes resolved), unknown values skipped whole, nothing after the root value.
/// Every failure is a <see cref="JsonException"/>, which <see cref="JsonBody"/> answers with a 400.
/// The members of each body are in its reader's table (<see cref="JsonMemberTable{TAccess}"/>).
/// </summary>
internal static class JsonTokens
{
    /// <summary>The serializer's defaults: depth 64, no comments, no trailing commas.</summary>
    public static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    public static bool NextProperty(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.TokenType == JsonTokenType.PropertyName;
    }

    /// <summary>
    /// The object the reader is on (its start checked by the caller), each known member read by its table entry
    /// into <paramref name="into"/>; unknown members are skipped whole, a repeated member is read again (the last wins).
    /// </summary>
    public static void ReadObject<T>(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, JsonMemberTable<RequestMember<T>> members, ref T into)
    {
        var next = 0;
        while (NextProperty(ref reader))
        {
            var member = members.Find(ref reader, ref next);
            Next(ref reader);
            if (member is null)
            {
                reader.Skip();
            }
            else
            {
                member.Access(ref reader, body, ref into);
            }
        }
    }

    public static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("the JSON ends too early");
        }
    }

    public static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"{what} must be a JSON {(type == JsonTokenType.StartArray ? "array" : "object")}, not {reader.TokenType}");
        }
    }

    /// <summary>Nothing but whitespace may follow the value.</summary>
    public static void End(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException("more JSON follows the value");
        }
    }

    public static string? String(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => Text(ref reader, field),
        _ => throw WrongType(field, "a string"),
    };

    /// <summary>
    /// A string that repeats from item to item of one body (a batch's queue and type): bytes equal to the last ones
    /// reuse its string, so a batch of a thousand jobs of one type holds one type string.
    /// </summary>
    public static string? String(ref Utf8JsonReader reader, string field, ref LastValue<string?> last)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return String(ref reader, field);
        }

        var bytes = reader.ValueSpan;
        if (last.TryGet(bytes, out var value))
        {
            return value;
        }

        // Decoding checks the bytes (invalid UTF-8 is malformed), so only checked bytes are remembered.
        value = Text(ref reader, field);
        last.Remember(bytes, value);
        return value;
    }

    /// <summary>
    /// A job id, or null: a server-assigned id (a ULID's exact text, unescaped) straight from its bytes to its value,
    /// without a string; any other id through <see cref="Text"/>, then <see cref="JobKey.Of"/>.
    /// </summary>
    public static JobKey? Id(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence
            && JobKey.TryOfUlid(reader.ValueSpan, out var key))
        {
            return key;
        }

        var id = String(ref reader, field);
        return id is null ? default(JobKey?) : JobKey.Of(id);
    }

    /// <summary>The current string token; invalid UTF-8 in it is malformed JSON.</summary>
    public static string Text(ref Utf8JsonReader reader, string field)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw new JsonException($"{field}: {ex.Message}", ex);
        }
    }

    public static int? Int32(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number when reader.TryGetInt32(out var value) => value,
        _ => throw WrongType(field, "a 32-bit integer"),
    };

    public static long? Int64(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number when reader.TryGetInt64(out var value) => value,
        _ => throw WrongType(field, "a 64-bit integer"),
    };

    /// <summary>
    /// An array of strings, or null. With <paramref name="keepNullItems"/> a null item stays null (as the serializer
    /// reads it) for the mapping to name; without it, a null item is refused here.
    /// </summary>
    public static List<string>? Strings(ref Utf8JsonReader reader, string field, bool keepNullItems)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartArray, field);
        var values = new List<string>();
        while (true)
        {
            Next(ref reader);
            switch (reader.TokenType)
            {
                case JsonTokenType.EndArray: return values;
                case JsonTokenType.String: values.Add(Text(ref reader, field)); break;
                case JsonTokenType.Null when keepNullItems: values.Add(null!); break;
                default: throw WrongType(field, "an array of strings");
            }
        }
    }

    public static bool? Bool(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw WrongType(field, "true or false"),
    };

    public static JsonException WrongType(string field, string expected) => new($"{field} must be {expected}");
}
