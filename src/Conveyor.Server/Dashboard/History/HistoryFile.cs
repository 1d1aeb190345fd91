using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Conveyor.Storage.Embedded.Device;

namespace Conveyor.Server.Dashboard.History;

/// <summary>
/// The metrics history on disk (<see cref="FileName"/> in the data directory). Layout, little-endian:
/// <c>"CVYHIST\0"</c>, a u32 version (<see cref="Version"/>), the payload, and the SHA-256 of the payload (32 bytes).
/// The payload is a 7-bit varint count of buckets, then per bucket: a byte (0 minute, 1 ten minutes), its start in
/// Unix minutes (varint), a varint count of cells, and per cell: a byte dimension (0 all, 1 queue, 2 type), the
/// name (varint length, UTF-8), completed, failed, runs, run microseconds (varints), a varint bin count and the bins.
/// It is replaced whole (temp file, fsync, rename, fsync the directory), so a crash leaves the old or the new one.
/// </summary>
internal static class HistoryFile
{
    public const string FileName = "metrics-history.bin";
    public const uint Version = 1;

    private static readonly byte[] Magic = "CVYHIST\0"u8.ToArray();
    private const int HashLength = 32;

    public static byte[] Write(IEnumerable<(bool TenMinutes, HistoryBucket Bucket)> buckets)
    {
        var list = buckets.ToList();
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write7BitEncodedInt(list.Count);
            foreach (var (tenMinutes, bucket) in list)
            {
                writer.Write((byte)(tenMinutes ? 1 : 0));
                writer.Write7BitEncodedInt64(bucket.StartMinute);
                writer.Write7BitEncodedInt(bucket.Cells.Count);
                foreach (var (series, cell) in bucket.Cells)
                {
                    writer.Write((byte)series.Dimension);
                    writer.Write(series.Name);
                    writer.Write7BitEncodedInt64(cell.Completed);
                    writer.Write7BitEncodedInt64(cell.Failed);
                    writer.Write7BitEncodedInt64(cell.Runs);
                    writer.Write7BitEncodedInt64(cell.RunMicros);
                    writer.Write7BitEncodedInt(cell.Bins.Length);
                    foreach (var bin in cell.Bins)
                    {
                        writer.Write7BitEncodedInt(bin);
                    }
                }
            }
        }

        var body = payload.ToArray();
        var file = new byte[Magic.Length + 4 + body.Length + HashLength];
        Magic.CopyTo(file, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(Magic.Length), Version);
        body.CopyTo(file, Magic.Length + 4);
        SHA256.HashData(body, file.AsSpan(Magic.Length + 4 + body.Length));
        return file;
    }

    /// <summary>Reads a file <see cref="Write"/> made.</summary>
    /// <exception cref="InvalidDataException">Not a history file, another version, or damaged.</exception>
    public static List<(bool TenMinutes, HistoryBucket Bucket)> Read(ReadOnlySpan<byte> file)
    {
        if (file.Length < Magic.Length + 4 + HashLength || !file[..Magic.Length].SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a metrics history file");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(file[Magic.Length..]);
        if (version != Version)
        {
            throw new InvalidDataException($"metrics history version {version} is not known (this server reads {Version})");
        }

        var body = file[(Magic.Length + 4)..^HashLength];
        Span<byte> hash = stackalloc byte[HashLength];
        SHA256.HashData(body, hash);
        if (!hash.SequenceEqual(file[^HashLength..]))
        {
            throw new InvalidDataException("metrics history checksum mismatch");
        }

        try
        {
            return ReadBody(body.ToArray());
        }
        catch (Exception ex) when (ex is EndOfStreamException or FormatException or DecoderFallbackException or ArgumentException)
        {
            throw new InvalidDataException("metrics history payload is malformed", ex);
        }
    }

    /// <summary>Replaces the file in <paramref name="directory"/> with <paramref name="content"/>: temp, fsync, rename, fsync the directory.</summary>
    public static void Save(string directory, byte[] content)
    {
        var full = Path.GetFullPath(directory);
        Directory.CreateDirectory(full);
        var path = Path.Combine(full, FileName);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        DirectorySync.Sync(full);
    }

    private static List<(bool, HistoryBucket)> ReadBody(byte[] body)
    {
        using var reader = new BinaryReader(new MemoryStream(body), new UTF8Encoding(false, throwOnInvalidBytes: true));
        var count = reader.Read7BitEncodedInt();
        var buckets = new List<(bool, HistoryBucket)>(Math.Min(count, HistoryRing.MinuteSlots + HistoryRing.TenMinuteSlots));
        for (var b = 0; b < count; b++)
        {
            var kind = reader.ReadByte();
            if (kind > 1)
            {
                throw new FormatException("bucket kind");
            }

            var bucket = new HistoryBucket(reader.Read7BitEncodedInt64());
            var cells = reader.Read7BitEncodedInt();
            for (var c = 0; c < cells; c++)
            {
                var dimension = reader.ReadByte();
                if (dimension > (byte)HistoryDimension.Type)
                {
                    throw new FormatException("dimension");
                }

                var series = new HistorySeries((HistoryDimension)dimension, reader.ReadString());
                var cell = new HistoryCell
                {
                    Completed = reader.Read7BitEncodedInt64(),
                    Failed = reader.Read7BitEncodedInt64(),
                    Runs = reader.Read7BitEncodedInt64(),
                    RunMicros = reader.Read7BitEncodedInt64(),
                };
                if (reader.Read7BitEncodedInt() != cell.Bins.Length)
                {
                    throw new FormatException("bin count");
                }

                for (var i = 0; i < cell.Bins.Length; i++)
                {
                    cell.Bins[i] = reader.Read7BitEncodedInt();
                }

                bucket.Add(series, cell);
            }

            buckets.Add((kind == 1, bucket));
        }

        if (reader.BaseStream.Position != body.Length)
        {
            throw new FormatException("trailing bytes");
        }

        return buckets;
    }
}
