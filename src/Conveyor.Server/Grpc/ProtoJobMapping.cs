using Conveyor.Broker;
using Conveyor.Core.Jobs;
using Conveyor.Grpc.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using JobState = Conveyor.Core.Jobs.JobState;
using ProtoJobState = Conveyor.Grpc.V1.JobState;
using ProtoSettleStatus = Conveyor.Grpc.V1.SettleStatus;
using SettleStatus = Conveyor.Core.Storage.SettleStatus;

namespace Conveyor.Server.Grpc;

/// <summary><see cref="JobInfo"/> → the proto <see cref="Job"/>, field for field as the HTTP job view.</summary>
internal static class ProtoJobMapping
{
    public static Job ToProto(this JobInfo info)
    {
        var job = new Job
        {
            Id = info.Id,
            Queue = info.Queue,
            Type = info.Type,
            // The store never changes a job's args after enqueue, so the bytes are shared, not copied.
            Args = UnsafeByteOperations.UnsafeWrap(info.Args),
            Priority = info.Priority,
            State = ToProto(info.State),
            Attempt = info.Attempt,
            MaxAttempts = info.MaxAttempts,
            Dead = info.Dead,
            LeaseSeconds = info.LeaseSeconds,
            CreatedAt = Timestamp.FromDateTimeOffset(info.CreatedAt),
            RunAt = ToTimestamp(info.RunAt),
            FinishedAt = ToTimestamp(info.FinishedAt),
            Backoff = info.Backoff.ToString(),
        };
        if (info.UniqueKey is { } uniqueKey)
        {
            job.UniqueKey = uniqueKey;
        }

        if (info.TimeoutSeconds is { } timeout)
        {
            job.TimeoutSeconds = timeout;
        }

        if (info.UniqueKey is not null && info.UniqueMode != UniqueMode.UntilFinished)
        {
            job.UniqueUntil = UniqueModeNames.Name(info.UniqueMode);
        }

        if (info.Progress is { } progress)
        {
            job.Progress = new Progress { Percent = progress.Percent, UpdatedAt = Timestamp.FromDateTimeOffset(progress.UpdatedAt) };
            if (progress.Message is { } message)
            {
                job.Progress.Message = message;
            }
        }

        if (info.Result is { } result)
        {
            job.Result = UnsafeByteOperations.UnsafeWrap(result);
        }

        job.Tags.Add(info.Tags);
        foreach (var (key, value) in info.Meta)
        {
            job.Meta[key] = value;
        }

        foreach (var failure in info.Failures)
        {
            var proto = new Failure
            {
                Attempt = failure.Attempt,
                At = Timestamp.FromDateTimeOffset(failure.At),
                ErrorType = failure.ErrorType,
                Message = failure.Message,
            };
            proto.Backtrace.Add(failure.Backtrace);
            job.Failures.Add(proto);
        }

        if (info.Lease is { } lease)
        {
            job.Lease = new Lease { Token = lease.Token, ExpiresAt = Timestamp.FromDateTimeOffset(lease.ExpiresAt) };
            if (lease.WorkerId is { } workerId)
            {
                job.Lease.WorkerId = workerId;
            }
        }

        return job;
    }

    public static Timestamp? ToTimestamp(DateTimeOffset? at) => at is { } value ? Timestamp.FromDateTimeOffset(value) : null;

    public static ProtoJobState ToProto(JobState state) => state switch
    {
        JobState.Scheduled => ProtoJobState.Scheduled,
        JobState.Available => ProtoJobState.Available,
        JobState.Active => ProtoJobState.Active,
        JobState.Retrying => ProtoJobState.Retrying,
        JobState.Completed => ProtoJobState.Completed,
        JobState.Dead => ProtoJobState.Dead,
        JobState.Cancelled => ProtoJobState.Cancelled,
        _ => ProtoJobState.Unspecified,
    };

    /// <summary>A filter's state; null for unspecified (no filter).</summary>
    public static JobState? FromProto(ProtoJobState state) => state switch
    {
        ProtoJobState.Unspecified => null,
        >= ProtoJobState.Scheduled and <= ProtoJobState.Cancelled => (JobState)(int)state,
        _ => throw new RequestRejectedException("state", "must be one of the JobState values"),
    };

    public static ProtoSettleStatus ToProto(SettleStatus status) => status switch
    {
        SettleStatus.Ok => ProtoSettleStatus.Ok,
        SettleStatus.Stale => ProtoSettleStatus.Stale,
        _ => ProtoSettleStatus.Unknown,
    };
}
