using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>
/// A job as enqueued; <paramref name="RunAt"/> is 0 when it is available at once. <paramref name="DiscardWhenDead"/>
/// (the job's <c>dead: false</c>) is carried only by record types 15 and 19, <paramref name="UniqueMode"/> and
/// <paramref name="TimeoutSeconds"/> (0: none) only by type 19, so a batch without them keeps type 1's (or 15's) bytes.
/// </summary>
internal sealed record NewJob(
    JobKey Id,
    string Queue,
    string Type,
    byte[] Args,
    int Priority,
    int MaxAttempts,
    int LeaseSeconds,
    long RunAt,
    string? UniqueKey,
    long UniqueUntil,
    string[] Tags,
    KeyValuePair<string, string>[] Meta,
    Backoff Backoff,
    bool DiscardWhenDead = false,
    UniqueMode UniqueMode = UniqueMode.UntilFinished,
    int TimeoutSeconds = 0);
