using System.Diagnostics;

namespace Conveyor.Client.Diagnostics;

/// <summary>
/// Carries W3C trace context in job <c>meta</c> (keys <c>traceparent</c>, <c>tracestate</c>), so a trace runs from
/// the code that enqueued to the handler that runs the job, across processes and languages.
/// </summary>
internal static class TraceMeta
{
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    /// <summary>The meta with the current activity's context added; unchanged when there is none or the caller set one.</summary>
    public static IReadOnlyDictionary<string, string>? Inject(IReadOnlyDictionary<string, string>? meta)
    {
        var activity = Activity.Current;
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C || meta?.ContainsKey(TraceParent) == true)
        {
            return meta;
        }

        var withTrace = meta is null ? new Dictionary<string, string>(2, StringComparer.Ordinal) : new Dictionary<string, string>(meta, StringComparer.Ordinal);
        withTrace[TraceParent] = activity.Id!;
        if (!string.IsNullOrEmpty(activity.TraceStateString))
        {
            withTrace[TraceState] = activity.TraceStateString;
        }

        return withTrace;
    }

    /// <summary>The enqueuer's context, or default when the job carries none (or an unreadable one).</summary>
    public static ActivityContext Extract(IReadOnlyDictionary<string, string> meta)
    {
        if (meta.TryGetValue(TraceParent, out var parent)
            && ActivityContext.TryParse(parent, meta.GetValueOrDefault(TraceState), isRemote: true, out var context))
        {
            return context;
        }

        return default;
    }
}
