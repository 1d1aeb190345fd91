using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Conveyor.Contracts.Json;
using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;

namespace Conveyor.Server.Json;

/// <summary>
/// Writes a <see cref="JobInfo"/> as the wire job view straight from the store's record: the same bytes
/// the serializer writes for <c>JobViewMapping.ToView(job)</c> (a parity test holds it to that), without
/// building the view or walking the serializer's metadata for every job of a fetch.
/// </summary>
/// <remarks>
/// The view's member names and punctuation are constant, so the object is assembled in the response's
/// <see cref="ViewBuffer"/> from those pieces and the values (strings escaped by the writer's own encoder
/// unless plain ASCII) and handed to the writer as one raw value: a fetch writes thousands of views, and
/// the writer's per-member calls were most of a view's cost.
/// <para>
/// With <c>omitDefaults</c> (a fetch's <c>omit_defaults</c>) the members a worker can take as given are left out:
/// <c>state</c> when active, <c>priority</c>, <c>max_attempts</c>, <c>lease_seconds</c> and <c>backoff</c>
/// at their documented defaults, <c>run_at</c>, <c>finished_at</c>, <c>unique_key</c> and the lease's <c>worker_id</c>
/// when null, <c>tags</c>, <c>meta</c> and <c>failures</c> when empty. <c>JobView</c>'s initial values are those
/// defaults, so a reader that fills a view from the members present gets the same view either way (a parity test
/// holds it). <c>dead</c> is left out at its default (true) always, as the serializer leaves it out, and so are
/// <c>timeout_seconds</c> and <c>unique_until</c> when null (no timeout; no unique key or the default <c>finished</c>).
/// </para>
/// </remarks>
internal static class JobViewWriter
{
    private static readonly byte[] Exponential = ViewBuffer.Quoted(Backoff.Exponential.ToString());

    private static readonly byte[][] StateNames = QuoteStateNames();

    /// <summary>The members of the job view, in the order the serializer writes <c>JobView</c>'s (a parity test holds it).</summary>
    public static readonly JsonMemberTable<JobViewField> Members = new([
        new("id", JobViewField.Id),
        new("queue", JobViewField.Queue),
        new("type", JobViewField.Type),
        new("args", JobViewField.Args),
        new("priority", JobViewField.Priority),
        new("state", JobViewField.State),
        new("attempt", JobViewField.Attempt),
        new("max_attempts", JobViewField.MaxAttempts),
        new("dead", JobViewField.Dead),
        new("lease_seconds", JobViewField.LeaseSeconds),
        new("timeout_seconds", JobViewField.TimeoutSeconds),
        new("created_at", JobViewField.CreatedAt),
        new("run_at", JobViewField.RunAt),
        new("finished_at", JobViewField.FinishedAt),
        new("unique_key", JobViewField.UniqueKey),
        new("unique_until", JobViewField.UniqueUntil),
        new("tags", JobViewField.Tags),
        new("meta", JobViewField.Meta),
        new("backoff", JobViewField.Backoff),
        new("failures", JobViewField.Failures),
        new("lease", JobViewField.Lease),
        new("progress", JobViewField.Progress),
        new("result", JobViewField.Result),
    ]);

    /// <summary><see cref="Members"/> as the loop reads them.</summary>
    private static readonly ViewMember<JobViewField>[] Written = ViewMember<JobViewField>.Of(Members);

    /// <summary>Each field's bit in a set of members, the bit of its entry's place in <see cref="Written"/>, indexed by the field.</summary>
    private static readonly uint[] Bits = BitsOf(Written);

    /// <summary>Every member of the view.</summary>
    private static readonly uint All = uint.MaxValue >> (32 - Written.Length);

    /// <summary>
    /// Writes one job; <paramref name="repeated"/> (one per response) encodes values shared by its jobs once;
    /// <paramref name="omitDefaults"/> leaves out the members at their defaults (see the remarks).
    /// </summary>
    /// <remarks>
    /// Each member is written by the case of its own field, never by its place in the table. A switch, not a delegate
    /// per member: a fetch writes thousands of views, and twenty delegate calls a view cost the writer 25-60 % (measured).
    /// Which members are left out is decided once per view, as a set (<see cref="AtDefaults"/>), and the loop visits
    /// only the members written, in the table's order: testing each member in the loop cost the lean view 30 % (measured).
    /// </remarks>
    public static void Write(Utf8JsonWriter writer, JobInfo job, RepeatedValues repeated, bool omitDefaults = false)
    {
        // "dead" is left out at its default always (nearly every job keeps it), as the serializer leaves it out.
        // So are timeout_seconds without a timeout, unique_until at its default or without a key, and "progress" and "result"
        // when null (a fetched job has neither), as the serializer leaves them out.
        var left = (omitDefaults ? AtDefaults(job) : Field(JobViewField.Dead, job.Dead))
            | Field(JobViewField.TimeoutSeconds, job.TimeoutSeconds is null)
            | Field(JobViewField.UniqueUntil, job.UniqueKey is null || job.UniqueMode == UniqueMode.UntilFinished)
            | Field(JobViewField.Progress, job.Progress is null) | Field(JobViewField.Result, job.Result is null);
        var view = repeated.Buffer;
        view.Clear();
        var start = view.OpenObject();
        for (var write = All & ~left; write != 0; write &= write - 1)
        {
            ref readonly var member = ref Written[BitOperations.TrailingZeroCount(write)];
            var field = member.Field;
            view.AppendName(member);
            switch (field)
            {
                case JobViewField.Id: view.AppendId(job.Key); break;
                case JobViewField.Queue: view.AppendQuoted(repeated.Queue(job.Queue)); break;
                case JobViewField.Type: view.AppendQuoted(repeated.Type(job.Type)); break;

                // Checked once, when the job was accepted (the enqueue readers keep only a whole JSON value in valid
                // UTF-8); kept byte for byte since (CRC-checked in the WAL and snapshots). Not tokenized again on every fetch.
                case JobViewField.Args: view.Append(job.Args.IsEmpty ? "null"u8 : job.Args.Span); break;
                case JobViewField.Priority: view.Append(job.Priority); break;
                case JobViewField.State: view.Append(StateNames[(int)job.State]); break;
                case JobViewField.Attempt: view.Append(job.Attempt); break;
                case JobViewField.MaxAttempts: view.Append(job.MaxAttempts); break;
                case JobViewField.Dead: view.Append(job.Dead); break;
                case JobViewField.LeaseSeconds: view.Append(job.LeaseSeconds); break;
                case JobViewField.TimeoutSeconds: view.Append(job.TimeoutSeconds!.Value); break;
                case JobViewField.CreatedAt: view.Append(repeated.CreatedAt(job.CreatedAt)); break;
                case JobViewField.RunAt: view.Append(job.RunAt is { } runAt ? repeated.RunAt(runAt) : "null"u8); break;
                case JobViewField.FinishedAt: view.Append(job.FinishedAt is { } finishedAt ? ViewBuffer.Quoted(finishedAt) : "null"u8); break;
                case JobViewField.UniqueKey: view.AppendString(job.UniqueKey); break;
                case JobViewField.UniqueUntil: view.AppendString(UniqueModeNames.Name(job.UniqueMode)); break;
                case JobViewField.Tags: AppendStrings(view, job.Tags); break;
                case JobViewField.Meta: AppendMeta(view, job.Meta); break;
                case JobViewField.Backoff when job.Backoff == Backoff.Exponential: view.Append(Exponential); break;
                case JobViewField.Backoff: view.AppendString(job.Backoff.ToString()); break;
                case JobViewField.Failures: AppendFailures(view, job.Failures); break;
                case JobViewField.Lease: LeaseViewWriter.Append(view, job.Lease, repeated, omitDefaults); break;
                case JobViewField.Progress: AppendProgress(view, job.Progress!); break;
                case JobViewField.Result: view.Append(job.Result!.Value.Span); break;
                default: throw new UnreachableException($"no writer for {field}");
            }
        }

        view.CloseObject(start);
        writer.WriteRawValue(view.WrittenSpan, skipInputValidation: true);
    }

    /// <summary>
    /// The members at their documented defaults, what a reader takes as given when they are missing, as a set of
    /// members (<see cref="Field"/>); never the members always written. Straight-line tests, no branch per member.
    /// </summary>
    private static uint AtDefaults(JobInfo job) =>
        Field(JobViewField.Priority, job.Priority == JobDefaults.Priority)
        | Field(JobViewField.State, job.State == JobState.Active)
        | Field(JobViewField.MaxAttempts, job.MaxAttempts == JobDefaults.MaxAttempts)
        | Field(JobViewField.Dead, job.Dead)
        | Field(JobViewField.LeaseSeconds, job.LeaseSeconds == JobDefaults.LeaseSeconds)
        | Field(JobViewField.RunAt, job.RunAt is null)
        | Field(JobViewField.FinishedAt, job.FinishedAt is null)
        | Field(JobViewField.UniqueKey, job.UniqueKey is null)
        | Field(JobViewField.Tags, job.Tags.Count == 0)
        | Field(JobViewField.Meta, job.Meta.Count == 0)
        | Field(JobViewField.Backoff, job.Backoff == Backoff.Exponential)
        | Field(JobViewField.Failures, job.Failures.Count == 0);

    /// <summary>The field's bit in a set of members when <paramref name="member"/> holds, else none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Field(JobViewField field, bool member) => member ? Bits[(int)field] : 0;

    private static uint[] BitsOf(ViewMember<JobViewField>[] members)
    {
        if (members.Length > 32)
        {
            throw new InvalidOperationException("a set of job view members holds 32");
        }

        var bits = new uint[Enum.GetValues<JobViewField>().Length];
        for (var i = 0; i < members.Length; i++)
        {
            bits[(int)members[i].Field] = 1u << i;
        }

        return bits;
    }

    /// <summary>Each state's wire name, quoted, indexed by the state's value.</summary>
    private static byte[][] QuoteStateNames()
    {
        var states = Enum.GetValues<JobState>();
        var names = new byte[(int)states.Max() + 1][];
        foreach (var state in states)
        {
            names[(int)state] = ViewBuffer.Quoted(state.ToName());
        }

        return names;
    }

    private static void AppendMeta(ViewBuffer view, IReadOnlyDictionary<string, string> meta)
    {
        view.Append("{"u8);
        var first = true;
        foreach (var (key, value) in meta)
        {
            if (!first)
            {
                view.Append(","u8);
            }

            first = false;
            view.AppendString(key);
            view.Append(":"u8);
            view.AppendString(value);
        }

        view.Append("}"u8);
    }

    private static void AppendProgress(ViewBuffer view, JobProgress progress)
    {
        view.Append("{\"percent\":"u8);
        view.Append(progress.Percent);
        view.Append(",\"message\":"u8);
        view.AppendString(progress.Message);
        view.Append(",\"updated_at\":"u8);
        view.Append(ViewBuffer.Quoted(progress.UpdatedAt));
        view.Append("}"u8);
    }

    private static void AppendFailures(ViewBuffer view, IReadOnlyList<JobFailure> failures)
    {
        view.Append("["u8);
        for (var i = 0; i < failures.Count; i++)
        {
            if (i > 0)
            {
                view.Append(","u8);
            }

            FailureViewWriter.Append(view, failures[i]);
        }

        view.Append("]"u8);
    }

    /// <summary>A list of strings (tags, a failure's backtrace).</summary>
    public static void AppendStrings(ViewBuffer view, IReadOnlyList<string> values)
    {
        view.Append("["u8);
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                view.Append(","u8);
            }

            view.AppendString(values[i]);
        }

        view.Append("]"u8);
    }
}
