using System.Text;
using Conveyor.Core.Jobs;

namespace Conveyor.Client.Postgres;

/// <summary>
/// The opaque byte columns (meta, failures): length-prefixed UTF-8 strings, read and written only by this store, so
/// a row needs no JSON (and no reflection) to round-trip.
/// </summary>
internal static class RowCodec
{
    public static byte[]? WriteMeta(IReadOnlyDictionary<string, string> meta)
    {
        if (meta.Count == 0)
        {
            return null;
        }

        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write7BitEncodedInt(meta.Count);
            foreach (var (key, value) in meta.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                w.Write(key);
                w.Write(value);
            }
        }

        return stream.ToArray();
    }

    public static IReadOnlyDictionary<string, string> ReadMeta(byte[]? bytes)
    {
        if (bytes is null)
        {
            return JobDefaults.EmptyMeta;
        }

        using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        var count = r.Read7BitEncodedInt();
        var meta = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            meta[r.ReadString()] = r.ReadString();
        }

        return meta;
    }

    public static byte[]? WriteFailures(IReadOnlyList<JobFailure> failures)
    {
        if (failures.Count == 0)
        {
            return null;
        }

        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write7BitEncodedInt(failures.Count);
            foreach (var f in failures)
            {
                w.Write(f.Attempt);
                w.Write(f.At.UtcTicks);
                w.Write(f.ErrorType);
                w.Write(f.Message);
                w.Write7BitEncodedInt(f.Backtrace.Count);
                foreach (var frame in f.Backtrace)
                {
                    w.Write(frame);
                }
            }
        }

        return stream.ToArray();
    }

    public static List<JobFailure> ReadFailures(byte[]? bytes)
    {
        if (bytes is null)
        {
            return [];
        }

        using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        var count = r.Read7BitEncodedInt();
        var failures = new List<JobFailure>(count);
        for (var i = 0; i < count; i++)
        {
            var attempt = r.ReadInt32();
            var at = new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero);
            var type = r.ReadString();
            var message = r.ReadString();
            var frames = new string[r.Read7BitEncodedInt()];
            for (var j = 0; j < frames.Length; j++)
            {
                frames[j] = r.ReadString();
            }

            failures.Add(new JobFailure(attempt, at, type, message, frames));
        }

        return failures;
    }
}
