using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using Conveyor.Protocol.Faktory.Wire;

namespace Conveyor.Server.Faktory;

/// <summary>Reads a command's JSON payload, turning malformed input into a client error that names the field, never a .NET type.</summary>
internal static class FaktoryJson
{
    public static T Read<T>(ReadOnlyMemory<byte> payload, JsonTypeInfo<T> type, string verb)
        where T : class
    {
        if (payload.IsEmpty)
        {
            throw new FaktoryVerbException($"{verb} needs a JSON payload");
        }

        // The reader checks UTF-8 only in what it decodes: a JsonElement kept whole (custom, args) would fail later.
        if (!Utf8.IsValid(payload.Span))
        {
            throw new FaktoryVerbException($"{verb}: the payload is not valid UTF-8");
        }

        try
        {
            return JsonSerializer.Deserialize(payload.Span, type) ?? throw new FaktoryVerbException($"{verb} needs a JSON {Expected(type)}");
        }
        catch (JsonException ex)
        {
            throw new FaktoryVerbException(Describe(payload.Span, ex, verb, Expected(type)));
        }
    }

    public static byte[] Write<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);

    public static FaktoryJsonContext Context => FaktoryJsonContext.Default;

    private static string Expected(JsonTypeInfo type) => type.Kind == JsonTypeInfoKind.Enumerable ? "array" : "object";

    /// <summary>
    /// The serializer's own message names .NET types, so it is not passed on. Only on this error path the payload is
    /// read again: a syntax error is reported with its byte offset, a well-formed payload by the field of the wrong type.
    /// </summary>
    private static string Describe(ReadOnlySpan<byte> payload, JsonException ex, string verb, string expected)
    {
        var reader = new Utf8JsonReader(payload);
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (JsonException)
        {
            return $"{verb}: malformed JSON at byte {reader.BytesConsumed}";
        }

        var path = ex.Path;
        return string.IsNullOrEmpty(path) || path == "$"
            ? $"{verb} needs a JSON {expected}"
            : $"{verb}: {(path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$'))} has the wrong type";
    }
}
