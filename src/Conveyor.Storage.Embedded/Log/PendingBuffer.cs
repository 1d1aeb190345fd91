using System.Buffers;

namespace Conveyor.Storage.Embedded.Log;

/// <summary>
/// The framed records waiting for the next flush: a <see cref="PayloadBuffer"/> on pooled arrays whose
/// written bytes can be patched in place (a record's header is filled in last).
/// </summary>
internal sealed class PendingBuffer : PayloadBuffer, IDisposable
{
    // A batch with one huge record should not pin that much memory until the next huge record.
    private const int RetainBytes = 4 * 1024 * 1024;
    private const int MinimumBytes = 64 * 1024;

    public int WrittenCount => Count;

    public Span<byte> WrittenSpan => Buffer.AsSpan(0, Count);

    /// <summary>Forgets everything after the first <paramref name="count"/> bytes.</summary>
    public void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        Count = count;
        if (count == 0 && Buffer.Length > RetainBytes)
        {
            Release();
        }
    }

    public void Dispose()
    {
        Count = 0;
        Release();
    }

    protected override void MakeRoom(int needed)
    {
        var size = (int)Math.Min(Array.MaxLength, Math.Max(MinimumBytes, Math.Max(2L * Buffer.Length, (long)Count + needed)));
        if (size - Count < needed)
        {
            throw new InvalidOperationException("the pending WAL batch is too large; flush more often");
        }

        var bigger = ArrayPool<byte>.Shared.Rent(size);
        WrittenSpan.CopyTo(bigger);
        Release();
        Buffer = bigger;
    }

    private void Release()
    {
        if (Buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
        }

        Buffer = [];
    }
}
