using System.Text.Json;
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
/// <c>state</c> when active, <c>priority</c>, <c>max_attempts</c>, <c>dead</c>, <c>lease_seconds</c> and <c>backoff</c>
/// at their documented defaults, <c>run_at</c>, <c>finished_at</c>, <c>unique_key</c> and the lease's <c>worker_id</c>
/// when null, <c>tags</c>, <c>meta</c> and <c>failures</c> when empty. <c>JobView</c>'s initial values are those
/// defaults, so a reader that fills a view from the members present gets the same view either way (a parity test
/// holds it).
/// </para>
/// </remarks>
internal static class JobViewWriter
{
    private static readonly byte[] Exponential = ViewBuffer.Quoted(Backoff.Exponential.ToString());

    private static readonly byte[][] StateNames = QuoteStateNames();

    /// <summary>
    /// Writes one job; <paramref name="repeated"/> (one per response) encodes values shared by its jobs once;
    /// <paramref name="omitDefaults"/> leaves out the members at their defaults (see the remarks).
    /// </summary>
    public static void Write(Utf8JsonWriter writer, JobInfo job, RepeatedValues repeated, bool omitDefaults = false)
    {
        var view = repeated.Buffer;
        view.Clear();
        view.Append("{\"id\":"u8);
        view.AppendId(job.Key);

        view.Append(",\"queue\":"u8);
        view.AppendQuoted(repeated.Queue(job.Queue));
        view.Append(",\"type\":"u8);
        view.AppendQuoted(repeated.Type(job.Type));
        view.Append(",\"args\":"u8);

        // Checked once, when the job was accepted (the enqueue readers keep only a whole JSON value in valid UTF-8);
        // kept byte for byte since (CRC-checked in the WAL and snapshots). Not tokenized again on every fetch.
        view.Append(job.Args.IsEmpty ? "null"u8 : job.Args.Span);
        if (!omitDefaults || job.Priority != JobDefaults.Priority)
        {
            view.Append(",\"priority\":"u8);
            view.Append(job.Priority);
        }

        if (!omitDefaults || job.State != JobState.Active)
        {
            view.Append(",\"state\":"u8);
            view.Append(StateNames[(int)job.State]);
        }

        view.Append(",\"attempt\":"u8);
        view.Append(job.Attempt);
        if (!omitDefaults || job.MaxAttempts != JobDefaults.MaxAttempts)
        {
            view.Append(",\"max_attempts\":"u8);
            view.Append(job.MaxAttempts);
        }

        if (!omitDefaults || !job.Dead)
        {
            view.Append(",\"dead\":"u8);
            view.Append(job.Dead);
        }

        if (!omitDefaults || job.LeaseSeconds != JobDefaults.LeaseSeconds)
        {
            view.Append(",\"lease_seconds\":"u8);
            view.Append(job.LeaseSeconds);
        }

        view.Append(",\"created_at\":"u8);
        view.Append(repeated.CreatedAt(job.CreatedAt));
        if (!omitDefaults || job.RunAt is not null)
        {
            view.Append(",\"run_at\":"u8);
            view.Append(job.RunAt is { } runAt ? repeated.RunAt(runAt) : "null"u8);
        }

        if (!omitDefaults || job.FinishedAt is not null)
        {
            view.Append(",\"finished_at\":"u8);
            view.Append(job.FinishedAt is { } finishedAt ? ViewBuffer.Quoted(finishedAt) : "null"u8);
        }

        if (!omitDefaults || job.UniqueKey is not null)
        {
            view.Append(",\"unique_key\":"u8);
            view.AppendString(job.UniqueKey);
        }

        if (!omitDefaults || job.Tags.Count > 0)
        {
            view.Append(",\"tags\":"u8);
            AppendStrings(view, job.Tags);
        }

        if (!omitDefaults || job.Meta.Count > 0)
        {
            AppendMeta(view, job.Meta);
        }

        if (job.Backoff != Backoff.Exponential)
        {
            view.Append(",\"backoff\":"u8);
            view.AppendString(job.Backoff.ToString());
        }
        else if (!omitDefaults)
        {
            view.Append(",\"backoff\":"u8);
            view.Append(Exponential);
        }

        if (!omitDefaults || job.Failures.Count > 0)
        {
            AppendFailures(view, job.Failures);
        }

        view.Append(",\"lease\":"u8);
        if (job.Lease is { } lease)
        {
            view.Append("{\"token\":"u8);
            view.AppendString(lease.Token);
            if (lease.WorkerId is not null)
            {
                view.Append(",\"worker_id\":"u8);
                view.AppendQuoted(repeated.Worker(lease.WorkerId));
            }
            else if (!omitDefaults)
            {
                view.Append(",\"worker_id\":null"u8);
            }

            view.Append(",\"expires_at\":"u8);
            view.Append(repeated.ExpiresAt(lease.ExpiresAt));
            view.Append("}}"u8);
        }
        else
        {
            view.Append("null}"u8);
        }

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

    private static void AppendMeta(ViewBuffer view, IReadOnlyDictionary<string, string> meta)
    {
        view.Append(",\"meta\":{"u8);
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

    private static void AppendFailures(ViewBuffer view, IReadOnlyList<JobFailure> failures)
    {
        view.Append(",\"failures\":["u8);
        for (var i = 0; i < failures.Count; i++)
        {
            var failure = failures[i];
            view.Append(i == 0 ? "{\"attempt\":"u8 : ",{\"attempt\":"u8);
            view.Append(failure.Attempt);
            view.Append(",\"at\":"u8);
            view.Append(ViewBuffer.Quoted(failure.At));
            view.Append(",\"error_type\":"u8);
            view.AppendString(failure.ErrorType);
            view.Append(",\"message\":"u8);
            view.AppendString(failure.Message);
            view.Append(",\"backtrace\":"u8);
            AppendStrings(view, failure.Backtrace);
            view.Append("}"u8);
        }

        view.Append("]"u8);
    }

    private static void AppendStrings(ViewBuffer view, IReadOnlyList<string> values)
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
