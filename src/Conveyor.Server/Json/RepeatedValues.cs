using System.Text.Json;

namespace Conveyor.Server.Json;

/// <summary>
/// Values that repeat from job to job within one response, encoded once: a fetch's jobs mostly share their
/// queue, type and worker (the store shares those strings), and jobs enqueued or leased in one batch share
/// their creation time and lease expiry. Each field remembers only its last value, so a miss costs one
/// encoding and nothing grows. Also holds the response's scratch <see cref="ViewBuffer"/>.
/// </summary>
internal sealed class RepeatedValues : IDisposable
{
    private readonly RepeatedText queue = new();
    private readonly RepeatedText type = new();
    private readonly RepeatedText worker = new();
    private readonly RepeatedDate createdAt = new();
    private readonly RepeatedDate runAt = new();
    private readonly RepeatedDate expiresAt = new();

    /// <summary>Where one job view is assembled before it is written whole.</summary>
    public ViewBuffer Buffer { get; } = new();

    public void Dispose() => Buffer.Dispose();

    /// <summary>The queue's name, escaped (without quotes).</summary>
    public ReadOnlySpan<byte> Queue(string value) => queue.Encode(value);

    public ReadOnlySpan<byte> Type(string value) => type.Encode(value);

    public ReadOnlySpan<byte> Worker(string value) => worker.Encode(value);

    /// <summary>The date as the writer writes it, quotes included.</summary>
    public ReadOnlySpan<byte> CreatedAt(DateTimeOffset value) => createdAt.Format(value);

    public ReadOnlySpan<byte> RunAt(DateTimeOffset value) => runAt.Format(value);

    public ReadOnlySpan<byte> ExpiresAt(DateTimeOffset value) => expiresAt.Format(value);

    private sealed class RepeatedText
    {
        private string? last;
        private byte[] encoded = [];

        /// <summary>The escaped form the writer would produce for <paramref name="value"/> (same default encoder).</summary>
        public ReadOnlySpan<byte> Encode(string value)
        {
            if (!ReferenceEquals(value, last) && !string.Equals(value, last, StringComparison.Ordinal))
            {
                encoded = JsonEncodedText.Encode(value).EncodedUtf8Bytes.ToArray();
                last = value;
            }

            return encoded;
        }
    }

    private sealed class RepeatedDate
    {
        private DateTimeOffset last;
        private byte[]? quoted;

        /// <summary>The date as the writer formats it (ISO 8601, trimmed fraction), formatted once per distinct value.</summary>
        public ReadOnlySpan<byte> Format(DateTimeOffset value)
        {
            if (quoted is null || value != last || value.Offset != last.Offset)
            {
                quoted = ViewBuffer.Quoted(value);
                last = value;
            }

            return quoted;
        }
    }
}
