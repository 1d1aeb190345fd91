using System.Buffers;
using System.Text.Json;

namespace Conveyor.Server.Json;

/// <summary>
/// Values that repeat from job to job within one response, encoded once: a fetch's jobs mostly share their
/// queue, type and worker (the store shares those strings), and jobs enqueued or leased in one batch share
/// their creation time and lease expiry. Each field remembers only its last value, so a miss costs one
/// encoding and nothing grows.
/// </summary>
internal sealed class RepeatedValues
{
    private readonly RepeatedText queue = new();
    private readonly RepeatedText type = new();
    private readonly RepeatedText worker = new();
    private readonly RepeatedDate createdAt = new();
    private readonly RepeatedDate expiresAt = new();

    public void WriteQueue(Utf8JsonWriter writer, JsonEncodedText name, string value) => writer.WriteString(name, queue.Encode(value));

    public void WriteType(Utf8JsonWriter writer, JsonEncodedText name, string value) => writer.WriteString(name, type.Encode(value));

    public void WriteWorker(Utf8JsonWriter writer, JsonEncodedText name, string value) => writer.WriteString(name, worker.Encode(value));

    public void WriteCreatedAt(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset value) => createdAt.Write(writer, name, value);

    public void WriteExpiresAt(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset value) => expiresAt.Write(writer, name, value);

    private sealed class RepeatedText
    {
        private string? last;
        private JsonEncodedText encoded;

        /// <summary>The escaped form the writer would produce for <paramref name="value"/> (same default encoder).</summary>
        public JsonEncodedText Encode(string value)
        {
            if (!ReferenceEquals(value, last) && !string.Equals(value, last, StringComparison.Ordinal))
            {
                encoded = JsonEncodedText.Encode(value);
                last = value;
            }

            return encoded;
        }
    }

    private sealed class RepeatedDate
    {
        private DateTimeOffset last;
        private byte[]? quoted;

        /// <summary>Writes the date as the writer formats it (ISO 8601, trimmed fraction), formatted once per distinct value.</summary>
        public void Write(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset value)
        {
            if (quoted is null || value != last || value.Offset != last.Offset)
            {
                var buffer = new ArrayBufferWriter<byte>(48);
                using (var scratch = new Utf8JsonWriter(buffer))
                {
                    scratch.WriteStringValue(value);
                }

                quoted = buffer.WrittenSpan.ToArray();
                last = value;
            }

            writer.WritePropertyName(name);
            writer.WriteRawValue(quoted, skipInputValidation: true);
        }
    }
}
