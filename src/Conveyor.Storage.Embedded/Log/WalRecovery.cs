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
    /// <summary>The last live segment (0 when there is none), where its records end, and counts for the caller.</summary>
    public readonly record struct Result(long LastSegment, long LastLength, long Records, long TruncatedBytes);

    public static Result Run(IStorageDevice device, ILogger logger, WalOptions options, long fromSegment, WalReplay replay)
    {
        var segments = LiveSegments(device, fromSegment);
        long records = 0, truncated = 0, lastLength = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            var (end, cut) = ReplaySegment(device, logger, options, segments[i], i == segments.Count - 1, replay, ref records);
            truncated += cut;
            lastLength = end;
        }
        WalLog.Recovered(logger, records, segments.Count, fromSegment);
        return new Result(segments.Count == 0 ? 0 : segments[^1], lastLength, records, truncated);
    }

    /// <summary>
    /// Replays, without writing anything, the records the open log holds: every segment from
    /// <paramref name="fromSegment"/> to <paramref name="lastSegment"/>, the last one only up to
    /// <paramref name="lastLength"/> (the log's committed end, which may be short of the file after a
    /// failed flush whose roll-back could not truncate, or because the rest is preallocated). Anything
    /// bad in that range is corruption.
    /// </summary>
    public static long ReplayCommitted(IStorageDevice device, long fromSegment, long lastSegment, long lastLength, WalReplay replay)
    {
        long records = 0;
        foreach (var index in LiveSegments(device, fromSegment))
        {
            if (index > lastSegment)
                break;
            var path = WalFormat.SegmentPath(index);
            var length = device.GetLength(path);
            using var reader = new SegmentReader(device, path, index == lastSegment ? Math.Min(length, lastLength) : length);
            if (!reader.IsSegmentHeader(index))
                throw new WalCorruptionException(path, 0, "missing or invalid segment header");
            long offset = WalFormat.SegmentHeaderSize;
            while (offset < reader.End)
            {
                if (!reader.TryReadRecord(offset, out var type, out var payload))
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

    /// <summary>Replays one segment; returns where its records end and how many bytes of torn tail were cut.</summary>
    private static (long End, long Truncated) ReplaySegment(
        IStorageDevice device, ILogger logger, WalOptions options, long index, bool isLast, WalReplay replay, ref long records)
    {
        var path = WalFormat.SegmentPath(index);
        using var reader = new SegmentReader(device, path, device.GetLength(path));
        if (!reader.IsSegmentHeader(index))
        {
            if (!isLast || reader.FindNextRecord(-1) >= 0)
                throw new WalCorruptionException(path, 0, "missing or invalid segment header");
            // Zeros are the preallocated space of a creation the crash cut short: nothing was dropped.
            var dropped = reader.IsZeroFrom(0) ? 0 : reader.End;
            WalLog.TornHeader(logger, path, reader.End);
            WalSegmentWriter.Create(device, index, options.SegmentBytes).Dispose();
            return (WalFormat.SegmentHeaderSize, dropped);
        }
        long offset = WalFormat.SegmentHeaderSize;
        while (offset < reader.End)
        {
            if (!reader.TryReadRecord(offset, out var type, out var payload))
            {
                // Zeros to the end of the last segment are its preallocated, never-written space: a clean end.
                if (isLast && reader.IsZeroFrom(offset))
                    return (offset, 0);
                return (offset, TornTail(device, logger, reader, offset, isLast));
            }
            replay(type, payload);
            records++;
            offset += WalFormat.RecordHeaderSize + payload.Length;
        }
        return (offset, 0);
    }

    private static long TornTail(IStorageDevice device, ILogger logger, SegmentReader reader, long offset, bool isLast)
    {
        var path = reader.Path;
        if (!isLast)
            throw new WalCorruptionException(path, offset, "invalid record in a segment that is not the last one");
        var next = reader.FindNextRecord(offset);
        if (next >= 0)
            throw new WalCorruptionException(path, offset, $"invalid record followed by a valid record at byte offset {next}");
        using (var file = device.OpenAppend(path))
        {
            file.Truncate(offset);
            file.Sync();
        }
        WalLog.TornTail(logger, path, offset, reader.End - offset);
        return reader.End - offset;
    }
}
