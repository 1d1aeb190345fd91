using Conveyor.Core.Cron;
using Conveyor.Core.Jobs;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>A schedule's definition in a record (type 23) and in the snapshot body (docs/storage-format.md, "Schedules").</summary>
internal static class CronCodec
{
    private const byte PausedFlag = 1;

    /// <summary>
    /// <c>str name, str expression, str time_zone, u8 missed, u8 flags (bit 0 paused)</c>, then the job template:
    /// <c>str queue, str type, bytes args, u8 priority, uv max_attempts, uv lease_seconds, u8 job flags, str[] tags, meta, backoff</c>.
    /// </summary>
    public static void Write(PayloadWriter w, CronSchedule schedule)
    {
        w.WriteString(schedule.Name);
        w.WriteString(schedule.Expression);
        w.WriteString(schedule.TimeZone);
        w.WriteByte((byte)schedule.Missed);
        w.WriteByte(schedule.Paused ? PausedFlag : (byte)0);
        var job = schedule.Job;
        w.WriteString(job.Queue);
        w.WriteString(job.Type);
        w.WriteBytes(job.Args.Span);
        w.WriteByte((byte)job.Priority);
        w.WriteVarUInt((ulong)job.MaxAttempts);
        w.WriteVarUInt((ulong)job.LeaseSeconds);
        w.WriteByte(EventCodec.JobFlagsOf(discardWhenDead: !job.Dead));
        w.WriteStrings(job.Tags);
        EventCodec.WriteMeta(w, [.. job.Meta]);
        EventCodec.WriteBackoff(w, job.Backoff);
    }

    public static CronSchedule Read(ref PayloadReader r)
    {
        var name = r.ReadString();
        var expression = r.ReadString();
        var zone = r.ReadString();
        var missed = r.ReadByte();
        if (!Enum.IsDefined((CronMissedPolicy)missed))
        {
            throw new InvalidDataException($"unknown missed-tick policy {missed}");
        }

        var flags = r.ReadByte();
        if ((flags & ~PausedFlag) != 0)
        {
            throw new InvalidDataException($"unknown schedule flags {flags}");
        }

        var job = new JobSpec
        {
            Queue = r.ReadString(),
            Type = r.ReadString(),
            Args = r.ReadArgs(),
            Priority = EventCodec.ReadPriority(ref r),
            MaxAttempts = r.ReadInt(JobDefaults.MaxAttemptsLimit),
            LeaseSeconds = r.ReadInt(JobDefaults.MaxLeaseSeconds),
            Dead = !EventCodec.ReadJobFlags(ref r),
            Tags = r.ReadStrings(),
            Meta = EventCodec.ReadMeta(ref r).ToDictionary(StringComparer.Ordinal),
            Backoff = EventCodec.ReadBackoff(ref r),
        };
        return new CronSchedule
        {
            Name = name,
            Expression = expression,
            TimeZone = zone,
            Missed = (CronMissedPolicy)missed,
            Paused = (flags & PausedFlag) != 0,
            Job = job,
        };
    }

    /// <summary>Whether two definitions would be written alike (a cron file applied again at start changes nothing).</summary>
    public static bool SameDefinition(CronSchedule a, CronSchedule b)
    {
        JobSpec x = a.Job, y = b.Job;
        return a.Name == b.Name && a.Expression == b.Expression && a.TimeZone == b.TimeZone && a.Missed == b.Missed && a.Paused == b.Paused
            && x.Queue == y.Queue && x.Type == y.Type && x.Args.Span.SequenceEqual(y.Args.Span) && x.Priority == y.Priority
            && x.MaxAttempts == y.MaxAttempts && x.LeaseSeconds == y.LeaseSeconds && x.Dead == y.Dead && x.Backoff == y.Backoff
            && x.Tags.SequenceEqual(y.Tags, StringComparer.Ordinal)
            && x.Meta.Count == y.Meta.Count && x.Meta.All(m => y.Meta.TryGetValue(m.Key, out var v) && v == m.Value);
    }
}
