using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Core.Telemetry;

namespace Conveyor.Broker;

/// <summary>
/// The broker's spans (<see cref="JobTracing"/>): the paths taken only while something listens, so that with tracing
/// off an enqueue, fetch or settle costs one listener check and nothing more.
/// </summary>
public sealed partial class JobBroker
{
    private async ValueTask<EnqueueResult> EnqueueTracedAsync(IReadOnlyList<JobSpec> jobs, CancellationToken cancellationToken, bool batch)
    {
        using var spans = JobTracing.StartEnqueue(jobs, out var traced);
        try
        {
            var result = await StoreEnqueueAsync(traced, cancellationToken, batch).ConfigureAwait(false);
            spans.Enqueued(result);
            return result;
        }
        catch (Exception ex)
        {
            spans.Failed(ex);
            throw;
        }
    }

    private static IReadOnlyList<JobInfo> Traced(IReadOnlyList<JobInfo> leased, DateTimeOffset? started, IReadOnlyList<string> queues)
    {
        // An empty fetch (a long-poll that timed out) leaves no span: idle workers would fill the trace store with them.
        if (started is { } at && leased.Count > 0)
        {
            JobTracing.Fetched(leased, at, queues);
        }

        return leased;
    }

    private async ValueTask<IReadOnlyList<SettleResult>> SettleTracedAsync(JobSettle request, CancellationToken cancellationToken)
    {
        var (acks, fails) = (request.Acks.Count, request.Fails.Count);
        var id = (acks, fails) switch
        {
            (1, 0) => request.Acks[0].Id.ToString(),
            (0, 1) => request.Fails[0].Id.ToString(),
            _ => null,
        };
        using var span = JobTracing.StartSettle(id, acks + fails);
        try
        {
            var results = await store.SettleAsync(request, cancellationToken).ConfigureAwait(false);
            span?.SetTag("conveyor.settle.acks", acks);
            span?.SetTag("conveyor.settle.fails", fails);
            return results;
        }
        catch (Exception ex)
        {
            JobTracing.Failed(span, ex);
            throw;
        }
    }
}
