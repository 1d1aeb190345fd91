using System.Buffers;

namespace Conveyor.Storage.Embedded.Log;

/// <summary>
/// A byte buffer that payloads are encoded into (the WAL's pending batch, a snapshot's body). Its
/// <see cref="GetSpan"/> and <see cref="Advance"/> are plain calls, not interface dispatch: the payload writer
/// makes two per field, millions per snapshot. Only running out of room reaches the subclass.
/// </summary>
internal abstract class PayloadBuffer : IBufferWriter<byte>
{
    /// <summary>The array being written; bytes before <see cref="Count"/> are written.</summary>
    protected byte[] Buffer { get; set; } = [];

    protected int Count { get; set; }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Buffer.Length - Count);
        Count += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return Buffer.AsMemory(Count);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return Buffer.AsSpan(Count);
    }

    /// <summary>Makes at least <paramref name="needed"/> bytes free after <see cref="Count"/> (grow, or write out what is buffered).</summary>
    protected abstract void MakeRoom(int needed);

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (Buffer.Length - Count < needed)
        {
            MakeRoom(needed);
        }
    }
}
