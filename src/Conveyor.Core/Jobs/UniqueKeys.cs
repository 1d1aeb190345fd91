using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Conveyor.Core.Jobs;

/// <summary>
/// Unique keys derived from a job instead of given (<c>unique_by_args</c>, Faktory's <c>unique_for</c>): a SHA-256 of the
/// queue, the type and the args in a canonical form, so two producers that write the same args differently (spacing,
/// member order, escapes) get the same key.
/// </summary>
public static class UniqueKeys
{
    /// <summary>What every derived key starts with, so it cannot be mistaken for (or collide with) a chosen one by accident.</summary>
    public const string Prefix = "args:";

    /// <summary>
    /// The key of a job of <paramref name="type"/> on <paramref name="queue"/> with <paramref name="args"/> (JSON): <c>args:</c>
    /// and 64 hex digits. Throws <see cref="JsonException"/> when the args are not JSON.
    /// </summary>
    public static string ByArgs(string queue, string type, ReadOnlyMemory<byte> args)
    {
        var buffer = new ArrayBufferWriter<byte>(args.Length + queue.Length + type.Length + 16);
        Encoding.UTF8.GetBytes(queue, buffer);
        buffer.Write("\0"u8);
        Encoding.UTF8.GetBytes(type, buffer);
        buffer.Write("\0"u8);
        using (var document = JsonDocument.Parse(args))
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(writer, document.RootElement);
        }

        return Prefix + Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>No whitespace, object members sorted by ordinal name, strings re-escaped the one way the writer does; numbers as written.</summary>
    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            default:
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
        }
    }
}
