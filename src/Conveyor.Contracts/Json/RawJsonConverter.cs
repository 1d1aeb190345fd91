using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace Conveyor.Contracts.Json;

/// <summary>Reads any JSON value as its raw bytes and writes them back unchanged.</summary>
public sealed class RawJsonConverter : JsonConverter<RawJson>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Jobs without arguments carry [] — the shared empty array, without parsing a document for it.
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            var probe = reader;
            if (probe.Read() && probe.TokenType == JsonTokenType.EndArray && probe.TokenStartIndex == reader.TokenStartIndex + 1)
            {
                reader.Read();
                return RawJson.EmptyArray;
            }
        }

        using var document = JsonDocument.ParseValue(ref reader);
        var raw = JsonMarshal.GetRawUtf8Value(document.RootElement);

        // The reader does not check UTF-8 inside strings; refuse it here so that nothing stored can fail to be written later.
        if (!Utf8.IsValid(raw))
        {
            throw new JsonException("the value is not valid UTF-8");
        }

        return new RawJson(raw.ToArray());
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.Utf8.IsEmpty)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteRawValue(value.Utf8.Span, skipInputValidation: false);
    }
}
