using Conveyor.Storage.Embedded.Device;
using Microsoft.Extensions.Logging;

namespace Conveyor.Storage.Embedded.Log;

/// <summary>
/// Reads the segments a snapshot does not cover, replays their records and repairs a torn tail.
/// A bad record with nothing valid after it, in the last segment, is the write a crash cut short:
/// it is truncated. Anything else that is bad is corruption and stops the open.
/// </summary>
internal static class WalRecovery
{
    /// <summary>The index of the last live segment (0 when there is none) and counts for the caller.</summary>
    public readonly record struct Result(long LastSegment, long Records, long TruncatedBytes);

    public static Result Run(IStorageDevice device, ILogger logger, long fromSegment, WalReplay replay)
    {
        var segments = LiveSegments(device, fromSegment);
        long records = 0, truncated = 0;
        for (var i = 0; i < segments.Count; i++)
            truncated += ReplaySegment(device, logger, segments[i], i == segments.Count - 1, replay, ref records);
        WalLog.Recovered(logger, records, segments.Count, fromSegment);
        return new Result(segments.Count == 0 ? 0 : segments[^1], records, truncated);
    }

    /// <summary>
    /// Replays, without writing anything, the records the open log holds: every segment from
    /// <paramref name="fromSegment"/> to <paramref name="lastSegment"/>, the last one only up to
    /// <paramref name="lastLength"/> (the log's committed end, which may be short of the file after a
    /// failed flush whose roll-back could not truncate). Anything bad in that range is corruption.
    /// </summary>
    public static long ReplayCommitted(IStorageDevice device, long fromSegment, long lastSegment, long lastLength, WalReplay replay)
    {
        long records = 0;
        foreach (var index in LiveSegments(device, fromSegment))
        {
            if (index > lastSegment)
                break;
            var path = WalFormat.SegmentPath(index);
            var data = device.ReadAll(path);
            var end = index == lastSegment ? (int)Math.Min(data.Length, lastLength) : data.Length;
            if (!WalFormat.IsSegmentHeader(data, index))
                throw new WalCorruptionException(path, 0, "missing or invalid segment header");
            var offset = WalFormat.SegmentHeaderSize;
            while (offset < end)
            {
                if (!WalFormat.TryReadRecord(data.AsSpan(0, end), offset, out var type, out var payload))
                    throw new WalCorruptionException(path, offset, "invalid record inside the committed range");
                replay(type, payload);
                records++;
                offset += WalFormat.RecordHeaderSize + payload.Length;
            }
        }
        return records;
    }

    private static List<long> LiveSegments(IStorageDevice device, long fromSegment)
    {
        var live = new List<long>();
        foreach (var name in device.ListFiles(WalFormat.Directory))
        {
            if (WalFormat.TryParseSegmentFileName(name, out var index) && index >= fromSegment)
                live.Add(index);
        }
        live.Sort();
        var expected = Math.Max(fromSegment, 1);
        foreach (var index in live)
        {
            if (index != expected)
                throw new WalCorruptionException(WalFormat.SegmentPath(expected), 0, $"segment is missing (found {WalFormat.SegmentFileName(index)} instead)");
            expected++;
        }
        return live;
    }

    private static long ReplaySegment(IStorageDevice device, ILogger logger, long index, bool isLast, WalReplay replay, ref long records)
    {
        var path = WalFormat.SegmentPath(index);
        var data = device.ReadAll(path);
        if (!WalFormat.IsSegmentHeader(data, index))
        {
            if (!isLast || WalFormat.FindNextRecord(data, 0) >= 0)
                throw new WalCorruptionException(path, 0, "missing or invalid segment header");
            WalLog.TornHeader(logger, path, data.Length);
            RewriteHeader(device, path, index);
            return data.Length;
        }
        var offset = WalFormat.SegmentHeaderSize;
        while (offset < data.Length)
        {
            if (!WalFormat.TryReadRecord(data, offset, out var type, out var payload))
                return TornTail(device, logger, path, data, offset, isLast);
            replay(type, payload);
            records++;
            offset += WalFormat.RecordHeaderSize + payload.Length;
        }
        return 0;
    }

    private static long TornTail(IStorageDevice device, ILogger logger, string path, byte[] data, int offset, bool isLast)
    {
        if (!isLast)
            throw new WalCorruptionException(path, offset, "invalid record in a segment that is not the last one");
        var next = WalFormat.FindNextRecord(data, offset + 1);
        if (next >= 0)
            throw new WalCorruptionException(path, offset, $"invalid record followed by a valid record at byte offset {next}");
        using (var file = device.OpenAppend(path))
        {
            file.Truncate(offset);
            file.Sync();
        }
        WalLog.TornTail(logger, path, offset, data.Length - offset);
        return data.Length - offset;
    }

    private static void RewriteHeader(IStorageDevice device, string path, long index)
    {
        Span<byte> header = stackalloc byte[WalFormat.SegmentHeaderSize];
        WalFormat.WriteSegmentHeader(header, index);
        using var file = device.Create(path);
        file.Write(header);
        file.Sync();
        device.SyncDirectory(WalFormat.Directory);
    }
}
