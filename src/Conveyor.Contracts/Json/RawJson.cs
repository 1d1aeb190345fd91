using System.Text.Json.Serialization;

namespace Conveyor.Contracts.Json;

/// <summary>
/// A JSON value kept as its raw UTF-8 bytes, so a job's <c>args</c> travel byte for byte from producer
/// to worker without being re-encoded.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
public readonly record struct RawJson
{
    private static readonly byte[] EmptyArrayBytes = "[]"u8.ToArray();

    /// <summary>Wraps UTF-8 bytes that are already one valid JSON value (not checked here).</summary>
    public RawJson(ReadOnlyMemory<byte> utf8)
    {
        Utf8 = utf8;
    }

    /// <summary>The empty array, <c>[]</c>: the arguments of a job enqueued without any.</summary>
    public static RawJson EmptyArray => new(EmptyArrayBytes);

    /// <summary>The raw UTF-8 bytes; empty for <c>default</c>.</summary>
    public ReadOnlyMemory<byte> Utf8 { get; }

    /// <summary>Wraps a JSON text.</summary>
    public static RawJson FromString(string json) => new(System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>The JSON text.</summary>
    public override string ToString() => System.Text.Encoding.UTF8.GetString(Utf8.Span);
}
