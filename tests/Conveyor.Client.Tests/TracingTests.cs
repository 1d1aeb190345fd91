using System.Diagnostics;

namespace Conveyor.Client.Tests;

public sealed class TracingTests
{
    private static readonly ActivitySource TestSource = new("Conveyor.Client.Tests");

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Worker_TraceStartedBeforeEnqueue_IsTheParentOfTheHandlersActivity(string transport)
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is ConveyorDiagnostics.ActivitySourceName or "Conveyor.Client.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await TestServer.StartAsync(transport);
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("default", 2));

        string id;
        ActivityTraceId traceId;
        ActivitySpanId spanId;
        using (var root = TestSource.StartActivity("signup request"))
        {
            Assert.NotNull(root);
            traceId = root.TraceId;
            spanId = root.SpanId;
            id = await server.Client.EnqueueAsync(new CountJob(1));
        }

        await Eventually.HoldsAsync(() => worker.Probe.Activities.ContainsKey(id), "the handler to run");
        var handled = worker.Probe.Activities[id];
        Assert.NotNull(handled);
        Assert.Equal(ConveyorDiagnostics.ActivitySourceName, handled.Source.Name);
        Assert.Equal(ActivityKind.Consumer, handled.Kind);
        Assert.Equal(traceId, handled.TraceId);
        Assert.Equal(spanId, handled.ParentSpanId);
        Assert.Equal(id, handled.GetTagItem("messaging.message.id"));
    }
}
