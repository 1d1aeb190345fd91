using System.Diagnostics;
using System.Text.Json.Serialization;
using Conveyor.Client;

namespace Conveyor.Server.Tests.Telemetry;

/// <summary>A job whose handler reports the span the worker ran it in.</summary>
[JobType("test.trace")]
public sealed record TraceJob(int N);

/// <summary>Completes with the handler's span (the SDK's consumer span).</summary>
internal sealed class HandledSpan
{
    public TaskCompletionSource<Activity?> Span { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

internal sealed class TraceJobHandler(HandledSpan handled) : IJobHandler<TraceJob>
{
    public Task HandleAsync(TraceJob args, JobContext context, CancellationToken cancellationToken)
    {
        handled.Span.TrySetResult(Activity.Current);
        return Task.CompletedTask;
    }
}

[JsonSerializable(typeof(TraceJob))]
internal sealed partial class TraceJobJsonContext : JsonSerializerContext;
