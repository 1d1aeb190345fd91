using System.Text.Json.Serialization;
using Conveyor.Contracts.Cron;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Queues;
using Conveyor.Contracts.Workers;

namespace Conveyor.Contracts.Json;

/// <summary>Source-generated (reflection-free, AOT-safe) serialization of every wire type, in snake_case.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DictionaryKeyPolicy = JsonKnownNamingPolicy.Unspecified,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(EnqueueRequest))]
[JsonSerializable(typeof(EnqueueResponse))]
[JsonSerializable(typeof(EnqueueBatchRequest))]
[JsonSerializable(typeof(EnqueueBatchResponse))]
[JsonSerializable(typeof(JobView))]
[JsonSerializable(typeof(JobListResponse))]
[JsonSerializable(typeof(FetchRequest))]
[JsonSerializable(typeof(FetchResponse))]
[JsonSerializable(typeof(AckRequest))]
[JsonSerializable(typeof(FailRequest))]
[JsonSerializable(typeof(SettleRequest))]
[JsonSerializable(typeof(SettleResponse))]
[JsonSerializable(typeof(HeartbeatRequest))]
[JsonSerializable(typeof(ProgressRequest))]
[JsonSerializable(typeof(HeartbeatResponse))]
[JsonSerializable(typeof(LeaseCheckRequest))]
[JsonSerializable(typeof(LeaseCheckResponse))]
[JsonSerializable(typeof(WorkerView[]))]
[JsonSerializable(typeof(IReadOnlyList<WorkerView>))]
[JsonSerializable(typeof(IReadOnlyList<QueueView>))]
[JsonSerializable(typeof(QueueListResponse))]
[JsonSerializable(typeof(StatsResponse))]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(CronScheduleRequest))]
[JsonSerializable(typeof(CronScheduleView))]
[JsonSerializable(typeof(CronListResponse))]
[JsonSerializable(typeof(CronFile))]
public sealed partial class ConveyorJsonContext : JsonSerializerContext;
