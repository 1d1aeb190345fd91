using System.Buffers;

namespace Conveyor.Client.Json;

/// <summary>Parses a body held in one contiguous span.</summary>
internal delegate T SpanParser<out T>(ReadOnlySpan<byte> utf8);

/// <summary>Reads a whole response body into a pooled array and parses it from one span.</summary>
internal static class PooledBody
{
    public static async ValueTask<T> ReadAsync<T>(Stream body, SpanParser<T> parse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return parse(buffer.AsSpan(0, length));
                }

                length += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
