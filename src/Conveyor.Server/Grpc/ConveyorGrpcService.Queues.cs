using Conveyor.Core.Inputs;
using Conveyor.Core.Storage;
using Conveyor.Grpc.V1;
using Conveyor.Server.Mapping;
using Grpc.Core;

namespace Conveyor.Server.Grpc;

/// <summary>Queue calls and the stats.</summary>
internal sealed partial class ConveyorGrpcService
{
    public override async Task<ListQueuesResponse> ListQueues(ListQueuesRequest request, ServerCallContext context)
    {
        var after = request.After.Length == 0 ? null : QueueMapping.RequireQueueName(request.After, "after");
        var list = new QueueList(request.Limit == 0 ? InputLimits.QueuePageDefault : request.Limit, after);
        var page = await Broker.ListQueuesAsync(list, context.CancellationToken).ConfigureAwait(false);
        var response = new ListQueuesResponse { Next = page.Next ?? string.Empty };
        foreach (var queue in page.Queues)
        {
            response.Queues.Add(new Queue
            {
                Name = queue.Name,
                Available = queue.Available,
                Scheduled = queue.Scheduled,
                Retrying = queue.Retrying,
                Active = queue.Active,
                Paused = queue.Paused,
                OldestAvailableAt = ProtoJobMapping.ToTimestamp(queue.OldestAvailableAt),
            });
        }

        return response;
    }

    public override async Task<PauseQueueResponse> PauseQueue(PauseQueueRequest request, ServerCallContext context)
    {
        await Broker.PauseQueueAsync(QueueMapping.RequireQueueName(request.Name, "name")).ConfigureAwait(false);
        return new PauseQueueResponse();
    }

    public override async Task<ResumeQueueResponse> ResumeQueue(ResumeQueueRequest request, ServerCallContext context)
    {
        await Broker.ResumeQueueAsync(QueueMapping.RequireQueueName(request.Name, "name")).ConfigureAwait(false);
        return new ResumeQueueResponse();
    }

    public override async Task<PurgeQueueResponse> PurgeQueue(PurgeQueueRequest request, ServerCallContext context)
    {
        var name = QueueMapping.RequireQueueName(request.Name, "name");
        if (!request.Remove)
        {
            await Broker.PurgeQueueAsync(name).ConfigureAwait(false);
            return new PurgeQueueResponse();
        }

        return await Broker.RemoveQueueAsync(name).ConfigureAwait(false) switch
        {
            QueueRemoveStatus.Removed => new PurgeQueueResponse(),
            QueueRemoveStatus.NotFound => throw GrpcErrors.NotFound($"no queue {name}"),
            QueueRemoveStatus.Paused => throw GrpcErrors.Conflict($"queue '{name}' is paused: resume it before removing it"),
            _ => throw GrpcErrors.Conflict($"queue '{name}' still has available, scheduled, retrying or active jobs: purge or finish them before removing it"),
        };
    }

    public override async Task<Stats> GetStats(GetStatsRequest request, ServerCallContext context)
    {
        var view = QueueMapping.ToResponse(await Broker.GetStatsAsync(context.CancellationToken).ConfigureAwait(false));
        var stats = new Stats { Processed = view.Processed, Failed = view.Failed, Throughput = view.Throughput };
        foreach (var (state, count) in view.Counts)
        {
            stats.Counts[state] = count;
        }

        if (view.Storage is { } s)
        {
            stats.Storage = new StorageStats { Flushes = s.Flushes, Fsyncs = s.Fsyncs, BytesWritten = s.BytesWritten, Snapshots = s.Snapshots, SnapshotFailures = s.SnapshotFailures };
        }

        if (view.Memory is { } m)
        {
            stats.Memory = new MemoryStats { HeldBytes = m.HeldBytes };
            if (m.BudgetBytes is { } budget)
            {
                stats.Memory.BudgetBytes = budget;
            }
        }

        if (view.Runtime is { } r)
        {
            stats.Runtime = new RuntimeStats
            {
                GcPauseMs = r.GcPauseMs,
                Gen0Collections = r.Gen0Collections,
                Gen1Collections = r.Gen1Collections,
                Gen2Collections = r.Gen2Collections,
                HeapBytes = r.HeapBytes,
                AllocatedBytes = r.AllocatedBytes,
                JitCompiledMethods = r.JitCompiledMethods,
                JitTimeMs = r.JitTimeMs,
            };
        }

        return stats;
    }
}
