using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Log;

namespace Conveyor.Storage.Embedded.Tests.Log;

/// <summary>Opens a WAL and records what it replayed.</summary>
internal static class WalHarness
{
    public static (WriteAheadLog Wal, List<Rec> Replayed) Open(
        IStorageDevice device, long segmentBytes = WalOptions.DefaultSegmentBytes, long fromSegment = 0, CapturingLogger? logger = null)
    {
        var replayed = new List<Rec>();
        var wal = WriteAheadLog.Open(
            device, new WalOptions { SegmentBytes = segmentBytes }, logger ?? new CapturingLogger(), fromSegment,
            (type, payload) => replayed.Add(new Rec(type, payload.ToArray())));
        return (wal, replayed);
    }

    /// <summary>Opens, closes and returns what was replayed.</summary>
    public static List<Rec> Replay(IStorageDevice device, long fromSegment = 0)
    {
        var (wal, replayed) = Open(device, fromSegment: fromSegment);
        wal.Dispose();
        return replayed;
    }

    public static Rec Make(int i, int size) =>
        new((byte)(1 + (i % 254)), [.. Enumerable.Range(0, size).Select(j => (byte)(i * 31 + j))]);

    public static void Append(this WriteAheadLog wal, Rec record) => wal.Append(record.Type, record.Payload);

    /// <summary>Overwrites bytes of a file in place (the way a bad disk or a stray write would).</summary>
    public static void Clobber(IStorageDevice device, string path, long offset, params byte[] bytes)
    {
        using var file = device.OpenAppend(path);
        file.WriteAt(offset, bytes);
        file.Sync();
    }

    public static void Cut(IStorageDevice device, string path, long length)
    {
        using var file = device.OpenAppend(path);
        file.Truncate(length);
        file.Sync();
    }
}
