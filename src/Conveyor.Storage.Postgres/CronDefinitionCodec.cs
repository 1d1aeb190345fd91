using System.Text;
using Conveyor.Core.Cron;
using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// A schedule's definition as the <c>cron.definition</c> bytes (the paused flag is a column of its own). Meta is written
/// in ordinal key order, so two equal definitions are equal bytes: saving the same one again is detected by comparing them.
/// </summary>
internal static class CronDefinitionCodec
{
    public static byte[] Write(CronSchedule schedule)
    {
        var job = schedule.Job;
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(schedule.Expression);
            w.Write(schedule.TimeZone);
            w.Write((byte)schedule.Missed);
            w.Write(job.Queue);
            w.Write(job.Type);
            w.Write7BitEncodedInt(job.Args.Length);
            w.Write(job.Args.Span);
            w.Write(job.Priority);
            w.Write(job.MaxAttempts);
            w.Write(job.LeaseSeconds);
            w.Write(job.Dead);
            w.Write7BitEncodedInt(job.Tags.Count);
            foreach (var tag in job.Tags)
            {
                w.Write(tag);
            }

            var meta = RowCodec.WriteMeta(job.Meta) ?? [];
            w.Write7BitEncodedInt(meta.Length);
            w.Write(meta);
            w.Write((byte)job.Backoff.Kind);
            w.Write(job.Backoff.FixedSeconds);
        }

        return stream.ToArray();
    }

    public static CronSchedule Read(string name, bool paused, byte[] definition)
    {
        using var r = new BinaryReader(new MemoryStream(definition), Encoding.UTF8);
        var expression = r.ReadString();
        var zone = r.ReadString();
        var missed = (CronMissedPolicy)r.ReadByte();
        var queue = r.ReadString();
        var type = r.ReadString();
        var args = r.ReadBytes(r.Read7BitEncodedInt());
        var priority = r.ReadInt32();
        var maxAttempts = r.ReadInt32();
        var leaseSeconds = r.ReadInt32();
        var dead = r.ReadBoolean();
        var tags = new string[r.Read7BitEncodedInt()];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = r.ReadString();
        }

        var meta = r.ReadBytes(r.Read7BitEncodedInt());
        var kind = (BackoffKind)r.ReadByte();
        var fixedSeconds = r.ReadInt32();
        return new CronSchedule
        {
            Name = name,
            Expression = expression,
            TimeZone = zone,
            Missed = missed,
            Paused = paused,
            Job = new JobSpec
            {
                Queue = queue,
                Type = type,
                Args = args,
                Priority = priority,
                MaxAttempts = maxAttempts,
                LeaseSeconds = leaseSeconds,
                Dead = dead,
                Tags = tags,
                Meta = RowCodec.ReadMeta(meta.Length == 0 ? null : meta),
                Backoff = new Backoff(kind, fixedSeconds),
            },
        };
    }
}
