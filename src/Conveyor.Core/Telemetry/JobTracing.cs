using System.Diagnostics;
using Conveyor.Core.Inputs;
using Conveyor.Core.Jobs;

namespace Conveyor.Core.Telemetry;

/// <summary>
/// The server's spans on the <see cref="SourceName"/> activity source, with the messaging semantic conventions:
/// enqueue (<c>publish</c>), fetch (<c>receive</c>) and settle. A job's W3C trace context travels in its meta
/// (<see cref="TraceParent"/>, <see cref="TraceState"/>): the enqueue span continues it and then takes its place, so the
/// worker that runs the job starts its handler span as a child of the server's enqueue span. Every call is a no-op
/// returning null unless a listener (the OTLP exporter) is registered; callers check <see cref="Enabled"/> before
/// doing any work for it.
/// </summary>
public static class JobTracing
{
    /// <summary>The activity source's name.</summary>
    public const string SourceName = "Conveyor.Server";

    /// <summary>The meta key of a job's W3C <c>traceparent</c>.</summary>
    public const string TraceParent = "traceparent";

    /// <summary>The meta key of a job's W3C <c>tracestate</c>.</summary>
    public const string TraceState = "tracestate";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>Whether anything listens to the server's spans.</summary>
    public static bool Enabled => Source.HasListeners();

    /// <summary>
    /// Starts the enqueue span of a call's jobs and returns them with their meta naming the span that stands for them:
    /// one job is a child of its own trace context (else of the current one, the HTTP request's); in a batch, each job
    /// carrying a context gets a span of its own linked to the batch's span, and the others share the batch's.
    /// </summary>
    public static EnqueueSpans StartEnqueue(IReadOnlyList<JobSpec> jobs, out IReadOnlyList<JobSpec> traced)
    {
        traced = jobs;
        if (jobs.Count == 1)
        {
            var single = Start("publish", ActivityKind.Producer, ContextOf(jobs[0].Meta), jobs[0].Queue, null);
            if (single is not null)
            {
                traced = [WithContext(jobs[0], single)];
            }

            return new EnqueueSpans(single, null);
        }

        var batch = Start("publish", ActivityKind.Producer, default, SameQueue(jobs), null);
        if (batch is null)
        {
            return default;
        }

        batch.SetTag("messaging.batch.message_count", jobs.Count);
        List<Activity>? own = null;
        var copy = new JobSpec[jobs.Count];
        for (var i = 0; i < jobs.Count; i++)
        {
            var parent = ContextOf(jobs[i].Meta);
            var span = parent == default ? null : Start("publish", ActivityKind.Producer, parent, jobs[i].Queue, batch.Context);
            if (span is not null)
            {
                (own ??= []).Add(span);
            }

            copy[i] = WithContext(jobs[i], span ?? batch);
        }

        traced = copy;
        return new EnqueueSpans(batch, own);
    }

    /// <summary>Records a fetch that leased jobs, from <paramref name="startedAt"/> to now, linked to each job's trace.</summary>
    public static void Fetched(IReadOnlyList<JobInfo> jobs, DateTimeOffset startedAt, IReadOnlyList<string> queues)
    {
        List<ActivityLink>? links = null;
        foreach (var job in jobs)
        {
            if (ContextOf(job.Meta) is var context && context != default)
            {
                (links ??= []).Add(new ActivityLink(context));
            }
        }

        using var span = Source.StartActivity(
            queues.Count == 1 ? $"receive {queues[0]}" : "receive", ActivityKind.Consumer, default(ActivityContext), null, links, startedAt);
        if (span is null)
        {
            return;
        }

        Tag(span, "receive", queues.Count == 1 ? queues[0] : null);
        span.SetTag("messaging.batch.message_count", jobs.Count);
        if (jobs.Count == 1)
        {
            span.SetTag("messaging.message.id", jobs[0].Id);
        }
    }

    /// <summary>Starts the span of one settle call (acks and fails); null when nothing listens.</summary>
    public static Activity? StartSettle(string? jobId, int count)
    {
        var span = Source.StartActivity("settle", ActivityKind.Internal);
        if (span is null)
        {
            return null;
        }

        Tag(span, "settle", null);
        if (jobId is not null)
        {
            span.SetTag("messaging.message.id", jobId);
        }
        else
        {
            span.SetTag("messaging.batch.message_count", count);
        }

        return span;
    }

    /// <summary>Marks a span failed with the exception's type (its message stays out: it may carry job data).</summary>
    public static void Failed(Activity? span, Exception error)
    {
        if (span is not null)
        {
            span.SetStatus(ActivityStatusCode.Error);
            span.SetTag("error.type", error.GetType().Name);
        }
    }

    /// <summary>The W3C trace context in a job's meta, or default when it has none (or an unreadable one).</summary>
    public static ActivityContext ContextOf(IReadOnlyDictionary<string, string> meta) =>
        meta.Count > 0 && meta.TryGetValue(TraceParent, out var parent)
        && ActivityContext.TryParse(parent, meta.GetValueOrDefault(TraceState), isRemote: true, out var context)
            ? context
            : default;

    private static Activity? Start(string operation, ActivityKind kind, ActivityContext parent, string? queue, ActivityContext? link)
    {
        var span = Source.StartActivity(
            queue is null ? operation : $"{operation} {queue}", kind, parent, null, link is { } l ? [new ActivityLink(l)] : null);
        if (span is not null)
        {
            Tag(span, operation, queue);
        }

        return span;
    }

    private static void Tag(Activity span, string operation, string? queue)
    {
        span.SetTag("messaging.system", "conveyor");
        span.SetTag("messaging.operation.type", operation);
        if (queue is not null)
        {
            span.SetTag("messaging.destination.name", queue);
        }
    }

    private static string? SameQueue(IReadOnlyList<JobSpec> jobs)
    {
        var queue = jobs[0].Queue;
        for (var i = 1; i < jobs.Count; i++)
        {
            if (!string.Equals(jobs[i].Queue, queue, StringComparison.Ordinal))
            {
                return null;
            }
        }

        return queue;
    }

    /// <summary>The job with its meta naming <paramref name="span"/>; unchanged when its meta has no room for another key.</summary>
    private static JobSpec WithContext(JobSpec job, Activity span)
    {
        var meta = job.Meta;
        if (span.IdFormat != ActivityIdFormat.W3C || (!meta.ContainsKey(TraceParent) && meta.Count >= InputLimits.MetaEntries))
        {
            return job;
        }

        var withTrace = new Dictionary<string, string>(meta, StringComparer.Ordinal) { [TraceParent] = span.Id! };
        if (!string.IsNullOrEmpty(span.TraceStateString))
        {
            withTrace[TraceState] = span.TraceStateString;
        }

        return job with { Meta = withTrace };
    }
}
