using System.Buffers;

namespace Conveyor.Protocol.Faktory.Tests;

/// <summary>Builds multi-segment sequences, to test the parser on buffers split anywhere.</summary>
internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] cuts)
    {
        var points = cuts.Where(c => c > 0 && c < bytes.Length).Distinct().Order().Append(bytes.Length).ToArray();
        var first = new Segments(bytes.AsMemory(0, points[0]), 0);
        var last = first;
        var start = points[0];
        foreach (var end in points.Skip(1))
        {
            var next = new Segments(bytes.AsMemory(start, end - start), start);
            last.Next = next;
            last = next;
            start = end;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
