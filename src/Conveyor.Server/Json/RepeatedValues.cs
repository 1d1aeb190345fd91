using System.Text.Json;
using Conveyor.Contracts.Json;

namespace Conveyor.Server.Json;

/// <summary>
/// Values that repeat from job to job within one response, encoded once: a fetch's jobs mostly share their
/// queue, type and worker (the store shares those strings), and jobs enqueued or leased in one batch share
/// their creation time and lease expiry. Each is a <see cref="LastValue{T}"/>, so a miss costs one encoding
/// and nothing grows. Also holds the response's scratch <see cref="ViewBuffer"/>.
/// </summary>
internal sealed class RepeatedValues : IDisposable
{
    private LastValue<string> queue;
    private LastValue<string> type;
    private LastValue<string> worker;
    private LastValue<DateTimeOffset> createdAt;
    private LastValue<DateTimeOffset> runAt;
    private LastValue<DateTimeOffset> expiresAt;

    /// <summary>Where one job view is assembled before it is written whole.</summary>
    public ViewBuffer Buffer { get; } = new();

    public void Dispose() => Buffer.Dispose();

    /// <summary>The queue's name, escaped (without quotes).</summary>
    public ReadOnlySpan<byte> Queue(string value) => Encode(ref queue, value);

    public ReadOnlySpan<byte> Type(string value) => Encode(ref type, value);

    public ReadOnlySpan<byte> Worker(string value) => Encode(ref worker, value);

    /// <summary>The date as the writer writes it, quotes included.</summary>
    public ReadOnlySpan<byte> CreatedAt(DateTimeOffset value) => Format(ref createdAt, value);

    public ReadOnlySpan<byte> RunAt(DateTimeOffset value) => Format(ref runAt, value);

    public ReadOnlySpan<byte> ExpiresAt(DateTimeOffset value) => Format(ref expiresAt, value);

    /// <summary>The escaped form the writer would produce for <paramref name="value"/> (same default encoder).</summary>
    private static ReadOnlySpan<byte> Encode(ref LastValue<string> last, string value)
    {
        if (!last.TryGet(value, out var encoded))
        {
            var bytes = JsonEncodedText.Encode(value).EncodedUtf8Bytes.ToArray();
            last.Remember(value, bytes);
            encoded = bytes;
        }

        return encoded;
    }

    /// <summary>The date as the writer formats it (ISO 8601, trimmed fraction), formatted once per distinct value.</summary>
    private static ReadOnlySpan<byte> Format(ref LastValue<DateTimeOffset> last, DateTimeOffset value)
    {
        if (!last.TryGet(value, out var quoted))
        {
            var bytes = ViewBuffer.Quoted(value);
            last.Remember(value, bytes);
            quoted = bytes;
        }

        return quoted;
    }
}
