using System.Buffers.Binary;
using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Log;
using Conveyor.Storage.Embedded.Snapshots;
using Conveyor.Storage.Embedded.Writer;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conveyor.Fuzz.Targets;

/// <summary>
/// A WAL segment through start-up recovery (<see cref="StoreRecovery"/>: segment reader, flush markers, event decoding,
/// replay into the job table). The input is the file <c>wal/00000000000000000001.wal</c>. Recovery must load it
/// (repairing a torn tail) or refuse it with <see cref="WalCorruptionException"/> or <see cref="InvalidDataException"/>
/// (a record whose CRC holds but whose payload does not decode), as docs/storage-format.md says.
/// </summary>
/// <remarks>
/// CRCs stop blind mutation at the frame, so an input starting with a lowercase <c>c</c> is resealed first: the
/// <c>c</c> becomes <c>C</c>, each record's CRC is recomputed and each flush marker made to close its flush. Those inputs
/// reach the event decoder and the table.
/// </remarks>
internal sealed class WalTarget : IFuzzTarget
{
    public string Name => "wal";

    public void Run(ReadOnlySpan<byte> input)
    {
        var bytes = input.ToArray();
        if (bytes.Length > 0 && bytes[0] == (byte)'c')
        {
            bytes[0] = (byte)'C';
            Reseal(bytes);
        }

        var device = new MemoryStorageDevice { CanPreallocate = false };
        device.CreateDirectory(WalFormat.Directory);
        using (var file = device.Create(WalFormat.SegmentPath(1)))
        {
            file.Write(bytes);
            file.Sync();
        }

        device.SyncDirectory(WalFormat.Directory);
        try
        {
            var (_, log) = StoreRecovery.Recover(device, new SnapshotFiles(device), Options, NullLogger.Instance);
            log.Dispose();
        }
        catch (Exception ex) when (ex is WalCorruptionException or InvalidDataException)
        {
        }
    }

    internal static WalOptions Options { get; } = new() { SegmentBytes = 1 << 20, DirectWrites = false };

    /// <summary>Recomputes every framed record's CRC from offset 16 on, and sets each flush marker to close its flush.</summary>
    internal static void Reseal(Span<byte> segment)
    {
        var offset = WalFormat.SegmentHeaderSize;
        var flushStart = offset;
        while (segment.Length - offset >= WalFormat.RecordHeaderSize)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(segment[offset..]);
            if (length > (uint)(segment.Length - offset - WalFormat.RecordHeaderSize))
            {
                return;
            }

            var frame = segment.Slice(offset, WalFormat.RecordHeaderSize + (int)length);
            var type = frame[8];
            if (type == WalFormat.FlushMarkerType && length == WalFormat.FlushMarkerPayloadSize)
            {
                var durable = BinaryPrimitives.ReadUInt64LittleEndian(frame[(WalFormat.RecordHeaderSize + 8)..]);
                BinaryPrimitives.WriteUInt64LittleEndian(frame[WalFormat.RecordHeaderSize..], (ulong)flushStart);
                BinaryPrimitives.WriteUInt64LittleEndian(frame[(WalFormat.RecordHeaderSize + 8)..], Math.Min(durable, (ulong)flushStart));
            }

            if (type != 0)
            {
                WalFormat.SealRecord(frame, type);
            }

            offset += frame.Length;
            if (type == WalFormat.FlushMarkerType)
            {
                flushStart = offset;
            }
        }
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        var segment = StoreWorkload.Run(snapshot: false, flush: false).ReadAll(WalFormat.SegmentPath(1));
        yield return ("workload.wal", segment);
        var flushed = StoreWorkload.Run(snapshot: false, flush: true).ReadAll(WalFormat.SegmentPath(1));
        yield return ("workload-flush.wal", flushed);
        var resealed = segment.ToArray();
        resealed[0] = (byte)'c';
        yield return ("workload-resealed.wal", resealed);
    }
}
