using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Conveyor.Protocol.Faktory.Wire;

namespace Conveyor.Server.Faktory;

/// <summary>Reads a command's JSON payload, turning malformed input into a client error.</summary>
internal static class FaktoryJson
{
    public static T Read<T>(ReadOnlyMemory<byte> payload, JsonTypeInfo<T> type, string verb)
        where T : class
    {
        if (payload.IsEmpty)
        {
            throw new FaktoryVerbException($"{verb} needs a JSON payload");
        }

        try
        {
            return JsonSerializer.Deserialize(payload.Span, type) ?? throw new FaktoryVerbException($"{verb} needs a JSON object");
        }
        catch (JsonException ex)
        {
            throw new FaktoryVerbException($"{verb}: invalid JSON: {ex.Message}");
        }
    }

    public static byte[] Write<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);

    public static FaktoryJsonContext Context => FaktoryJsonContext.Default;
}
