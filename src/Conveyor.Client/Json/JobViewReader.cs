using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;

namespace Conveyor.Client.Json;

/// <summary>
/// Reads a <see cref="JobView"/> as the serializer does. A member left out keeps the view's initial value, which
/// is its default (what a fetch with <c>omit_defaults</c> leaves out).
/// </summary>
internal static class JobViewReader
{
    /// <summary>The members of <see cref="JobView"/>, in the order the server writes them.</summary>
    public static readonly JsonMemberTable<ResponseMember<JobView>> Members = new([
        new("id", static (ref p, ref job) => job.Id = p.ReadString()!),
        new("queue", static (ref p, ref job) => job.Queue = p.ReadString(ref p.Queues)!),
        new("type", static (ref p, ref job) => job.Type = p.ReadString(ref p.Types)!),
        new("args", static (ref p, ref job) => job.Args = p.ReadRaw()),
        new("priority", static (ref p, ref job) => job.Priority = p.ReadInt()),
        new("state", static (ref p, ref job) => job.State = p.ReadString(ref p.States)!),
        new("attempt", static (ref p, ref job) => job.Attempt = p.ReadInt()),
        new("max_attempts", static (ref p, ref job) => job.MaxAttempts = p.ReadInt()),
        new("dead", static (ref p, ref job) => job.Dead = p.IsNull || p.ReadBool()), // null is the default, as the serializer reads it
        new("lease_seconds", static (ref p, ref job) => job.LeaseSeconds = p.ReadInt()),
        new("timeout_seconds", static (ref p, ref job) => job.TimeoutSeconds = p.IsNull ? null : p.ReadInt()),
        new("created_at", static (ref p, ref job) => job.CreatedAt = p.ReadDate(ref p.Created)),
        new("run_at", static (ref p, ref job) => job.RunAt = p.ReadNullableDate()),
        new("finished_at", static (ref p, ref job) => job.FinishedAt = p.ReadNullableDate()),
        new("unique_key", static (ref p, ref job) => job.UniqueKey = p.ReadString()),
        new("unique_until", static (ref p, ref job) => job.UniqueUntil = p.ReadString()),
        new("tags", static (ref p, ref job) => job.Tags = p.ReadJobList(static (ref p) => p.ReadString()!)!),
        new("meta", static (ref p, ref job) => job.Meta = p.ReadMeta()!),
        new("backoff", static (ref p, ref job) => job.Backoff = p.ReadString(ref p.Backoffs)!),
        new("failures", static (ref p, ref job) => job.Failures = p.ReadJobList(static (ref p) => FailureViewReader.Read(ref p))!),
        new("lease", static (ref p, ref job) => job.Lease = p.IsNull ? null : LeaseViewReader.Read(ref p)),
        new("progress", static (ref p, ref job) => job.Progress = p.IsNull ? null : ProgressViewReader.Read(ref p)),
        new("result", static (ref p, ref job) => job.Result = p.ReadRaw())]);

    public static JobView Read(ref ResponseParser parser)
    {
        var job = new JobView();
        parser.ReadObject(Members, ref job);
        return job;
    }
}
