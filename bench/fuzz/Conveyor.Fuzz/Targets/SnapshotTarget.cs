using System.Buffers.Binary;
using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Log;
using Conveyor.Storage.Embedded.Snapshots;
using Conveyor.Storage.Embedded.Writer;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conveyor.Fuzz.Targets;

/// <summary>
/// A snapshot file through start-up recovery (<see cref="SnapshotFiles"/> checks the container, <see cref="SnapshotCodec"/>
/// rebuilds the job table). Recovery must load it or refuse it with <see cref="SnapshotCorruptionException"/> (the container)
/// or <see cref="InvalidDataException"/> (a body that does not decode), as docs/storage-format.md says. The file is named
/// after the index in its header (1 when that is not a valid one).
/// </summary>
/// <remarks>An input starting with a lowercase <c>c</c> gets the right body length and CRC in its header first, so mutations reach the body decoder.</remarks>
internal sealed class SnapshotTarget : IFuzzTarget
{
    public string Name => "snapshot";

    public void Run(ReadOnlySpan<byte> input)
    {
        var bytes = input.ToArray();
        if (bytes.Length >= SnapshotFormat.HeaderSize && bytes[0] == (byte)'c')
        {
            bytes[0] = (byte)'C';
            var body = bytes.AsSpan(SnapshotFormat.HeaderSize);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), (ulong)body.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24), Crc32C.Compute(body));
        }

        var index = bytes.Length >= 16 ? BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)) : 1;
        if (index is 0 or > 1_000_000_000)
        {
            index = 1;
        }

        var device = new MemoryStorageDevice { CanPreallocate = false };
        device.CreateDirectory(SnapshotFormat.Directory);
        using (var file = device.Create(SnapshotFormat.PathOf((long)index)))
        {
            file.Write(bytes);
            file.Sync();
        }

        device.SyncDirectory(SnapshotFormat.Directory);
        try
        {
            var (_, log) = StoreRecovery.Recover(device, new SnapshotFiles(device), WalTarget.Options, NullLogger.Instance);
            log.Dispose();
        }
        catch (Exception ex) when (ex is SnapshotCorruptionException or InvalidDataException)
        {
        }
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        var device = StoreWorkload.Run(snapshot: true, flush: false);
        var snapshot = device.ReadAll(SnapshotFormat.Directory + "/" + device.ListFiles(SnapshotFormat.Directory).Single(n => n.EndsWith(SnapshotFormat.Extension, StringComparison.Ordinal)));
        yield return ("workload.snap", snapshot);
        var resealed = snapshot.ToArray();
        resealed[0] = (byte)'c';
        yield return ("workload-resealed.snap", resealed);
    }
}
