using System.Buffers;

namespace Conveyor.Fuzz.Targets;

/// <summary>A buffer cut into segments of a given size, as a pipe hands over bytes that arrived in several reads.</summary>
internal sealed class ChunkedSequence : ReadOnlySequenceSegment<byte>
{
    private ChunkedSequence(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Of(byte[] data, int chunk)
    {
        if (data.Length <= chunk)
        {
            return new ReadOnlySequence<byte>(data);
        }

        var first = new ChunkedSequence(data.AsMemory(0, chunk), 0);
        var last = first;
        for (var offset = chunk; offset < data.Length; offset += chunk)
        {
            var next = new ChunkedSequence(data.AsMemory(offset, Math.Min(chunk, data.Length - offset)), offset);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
