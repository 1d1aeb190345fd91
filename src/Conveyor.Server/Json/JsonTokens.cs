using System.Text;
using System.Text.Json;
using Conveyor.Core.Jobs;

namespace Conveyor.Server.Json;

/// <summary>
/// The token steps the hand-written request readers share, each matching what <c>ConveyorJsonContext</c> accepts:
/// strict numbers, exact names (escapes resolved), unknown values skipped whole, nothing after the root value.
/// Every failure is a <see cref="JsonException"/>, which <see cref="JsonBody"/> answers with a 400.
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
    /// The current property name as UTF-8, unescaped if the body escaped it. As in the serializer, an escape that is
    /// not valid UTF-16 (a lone surrogate) is malformed, but bytes that are not valid UTF-8 are not: such a name
    /// matches no member (every member's name is ASCII), so it comes back empty and its value is skipped.
    /// </summary>
    public static ReadOnlySpan<byte> PropertyName(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        try
        {
            return Encoding.UTF8.GetBytes(reader.GetString()!);
        }
        catch (InvalidOperationException ex) when (ex.InnerException is DecoderFallbackException)
        {
            // The escapes were fine (they are resolved first); only transcoding the raw bytes failed.
            return default;
        }
        catch (InvalidOperationException ex)
        {
            throw new JsonException($"a property name: {ex.Message}", ex);
        }
    }

    /// <summary>Skips the value of the property the reader is on, nested objects and arrays included.</summary>
    public static void SkipValue(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        reader.Skip();
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

    public static JsonException WrongType(string field, string expected) => new($"{field} must be {expected}");
}
