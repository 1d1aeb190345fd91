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
/// holds it). <c>dead</c> is left out at its default (true) always, as the serializer leaves it out.
/// </para>
/// </remarks>
internal static class JobViewWriter
{
    private static readonly byte[] Exponential = ViewBuffer.Quoted(Backoff.Exponential.ToString());

    private static readonly byte[][] StateNames = QuoteStateNames();

    /// <summary>The members of the job view, in the order the serializer writes <c>JobView</c>'s (a parity test holds it).</summary>
    public static readonly JsonMemberTable<ViewMember<JobInfo>> Members = new([
        new("id", new(static (view, job, _, _) => view.AppendId(job.Key))),
        new("queue", new(static (view, job, repeated, _) => view.AppendQuoted(repeated.Queue(job.Queue)))),
        new("type", new(static (view, job, repeated, _) => view.AppendQuoted(repeated.Type(job.Type)))),

        // Checked once, when the job was accepted (the enqueue readers keep only a whole JSON value in valid UTF-8);
        // kept byte for byte since (CRC-checked in the WAL and snapshots). Not tokenized again on every fetch.
        new("args", new(static (view, job, _, _) => view.Append(job.Args.IsEmpty ? "null"u8 : job.Args.Span))),
        new("priority", new(static (view, job, _, _) => view.Append(job.Priority), static job => job.Priority == JobDefaults.Priority)),
        new("state", new(static (view, job, _, _) => view.Append(StateNames[(int)job.State]), static job => job.State == JobState.Active)),
        new("attempt", new(static (view, job, _, _) => view.Append(job.Attempt))),
        new("max_attempts", new(static (view, job, _, _) => view.Append(job.MaxAttempts), static job => job.MaxAttempts == JobDefaults.MaxAttempts)),
        new("dead", new(static (view, job, _, _) => view.Append(job.Dead), static job => job.Dead, ViewOmission.Always)),
        new("lease_seconds", new(static (view, job, _, _) => view.Append(job.LeaseSeconds), static job => job.LeaseSeconds == JobDefaults.LeaseSeconds)),
        new("created_at", new(static (view, job, repeated, _) => view.Append(repeated.CreatedAt(job.CreatedAt)))),
        new("run_at", new(static (view, job, repeated, _) => view.Append(job.RunAt is { } runAt ? repeated.RunAt(runAt) : "null"u8), static job => job.RunAt is null)),
        new("finished_at", new(static (view, job, _, _) => view.Append(job.FinishedAt is { } finishedAt ? ViewBuffer.Quoted(finishedAt) : "null"u8), static job => job.FinishedAt is null)),
        new("unique_key", new(static (view, job, _, _) => view.AppendString(job.UniqueKey), static job => job.UniqueKey is null)),
        new("tags", new(static (view, job, _, _) => AppendStrings(view, job.Tags), static job => job.Tags.Count == 0)),
        new("meta", new(static (view, job, _, _) => AppendMeta(view, job.Meta), static job => job.Meta.Count == 0)),
        new("backoff", new(static (view, job, _, _) => AppendBackoff(view, job.Backoff), static job => job.Backoff == Backoff.Exponential)),
        new("failures", new(static (view, job, repeated, omitDefaults) => AppendFailures(view, job.Failures, repeated, omitDefaults), static job => job.Failures.Count == 0)),
        new("lease", new(static (view, job, repeated, omitDefaults) => AppendLease(view, job.Lease, repeated, omitDefaults))),
    ]);

    /// <summary>
    /// Writes one job; <paramref name="repeated"/> (one per response) encodes values shared by its jobs once;
    /// <paramref name="omitDefaults"/> leaves out the members at their defaults (see the remarks).
    /// </summary>
    public static void Write(Utf8JsonWriter writer, JobInfo job, RepeatedValues repeated, bool omitDefaults = false)
    {
        var view = repeated.Buffer;
        view.Clear();
        view.AppendObject(Members, job, repeated, omitDefaults);
        writer.WriteRawValue(view.WrittenSpan, skipInputValidation: true);
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

    private static void AppendBackoff(ViewBuffer view, Backoff backoff)
    {
        if (backoff == Backoff.Exponential)
        {
            view.Append(Exponential);
        }
        else
        {
            view.AppendString(backoff.ToString());
        }
    }

    private static void AppendLease(ViewBuffer view, JobLease? lease, RepeatedValues repeated, bool omitDefaults)
    {
        if (lease is null)
        {
            view.Append("null"u8);
        }
        else
        {
            view.AppendObject(LeaseViewWriter.Members, lease, repeated, omitDefaults);
        }
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

    private static void AppendFailures(ViewBuffer view, IReadOnlyList<JobFailure> failures, RepeatedValues repeated, bool omitDefaults)
    {
        view.Append("["u8);
        for (var i = 0; i < failures.Count; i++)
        {
            if (i > 0)
            {
                view.Append(","u8);
            }

            view.AppendObject(FailureViewWriter.Members, failures[i], repeated, omitDefaults);
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
