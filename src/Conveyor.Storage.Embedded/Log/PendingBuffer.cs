using System.Buffers;

namespace Conveyor.Storage.Embedded.Log;

/// <summary>
/// The framed records waiting for the next flush: an <see cref="IBufferWriter{T}"/> on pooled
/// arrays whose written bytes can be patched in place (a record's header is filled in last).
/// </summary>
internal sealed class PendingBuffer : IBufferWriter<byte>, IDisposable
{
    // A batch with one huge record should not pin that much memory until the next huge record.
    private const int RetainBytes = 4 * 1024 * 1024;
    private const int MinimumBytes = 64 * 1024;

    private byte[] _buffer = [];

    public int WrittenCount { get; private set; }

    public Span<byte> WrittenSpan => _buffer.AsSpan(0, WrittenCount);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - WrittenCount);
        WrittenCount += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(WrittenCount);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(WrittenCount);
    }

    /// <summary>Forgets everything after the first <paramref name="count"/> bytes.</summary>
    public void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, WrittenCount);
        WrittenCount = count;
        if (count == 0 && _buffer.Length > RetainBytes)
            Release();
    }

    public void Dispose()
    {
        WrittenCount = 0;
        Release();
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - WrittenCount >= needed)
            return;
        var size = (int)Math.Min(Array.MaxLength, Math.Max(MinimumBytes, Math.Max(2L * _buffer.Length, (long)WrittenCount + needed)));
        if (size - WrittenCount < needed)
            throw new InvalidOperationException("the pending WAL batch is too large; flush more often");
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        WrittenSpan.CopyTo(bigger);
        Release();
        _buffer = bigger;
    }

    private void Release()
    {
        if (_buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
