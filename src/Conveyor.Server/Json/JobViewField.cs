namespace Conveyor.Server.Json;

/// <summary>A member of the job view, as <see cref="JobViewWriter"/>'s table names it and its switch writes it.</summary>
internal enum JobViewField
{
    Id,
    Queue,
    Type,
    Args,
    Priority,
    State,
    Attempt,
    MaxAttempts,
    Dead,
    LeaseSeconds,
    TimeoutSeconds,
    CreatedAt,
    RunAt,
    FinishedAt,
    UniqueKey,
    UniqueUntil,
    Tags,
    Meta,
    Backoff,
    Failures,
    Lease,
    Progress,
    Result,
}
