using System.Text.Json.Serialization.Metadata;
using Conveyor.Contracts.Cron;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Queues;
using Conveyor.Contracts.Workers;

namespace Conveyor.Client;

/// <summary>
/// Everything <see cref="ConveyorClient"/> does, as an interface to inject: <c>services.AddConveyorClient(...)</c> registers
/// it, and tests of code that enqueues can use <c>FakeConveyorClient</c> (package Conveyor.Client.Testing) instead.
/// </summary>
public interface IConveyorClient
{
    /// <summary>Enqueues one job in its wire shape (any type name, args as raw JSON); returns its id (the existing one when deduplicated).</summary>
    Task<string> EnqueueRawAsync(EnqueueRequest job, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="EnqueueRawAsync"/>, answering the server's whole response: the id, and <see cref="EnqueueResponse.Duplicate"/>
    /// true when no job was made because one with the same id or unique key exists (the id is then that job's).
    /// </summary>
    Task<EnqueueResponse> EnqueueRawWithResultAsync(EnqueueRequest job, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="EnqueueAsync{TArgs}(TArgs, JobOptions?, CancellationToken)"/>, answering the id and whether it was a duplicate.</summary>
    Task<EnqueueResponse> EnqueueWithResultAsync<TArgs>(TArgs args, JobOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Enqueues up to 10,000 jobs all or nothing; returns their ids in order.</summary>
    Task<IReadOnlyList<string>> EnqueueRawBatchAsync(IReadOnlyList<EnqueueRequest> jobs, CancellationToken cancellationToken = default);

    /// <summary>
    /// Enqueues a typed job: its type name and policy come from <typeparamref name="TArgs"/> (see <see cref="JobPolicyAttribute"/>),
    /// <paramref name="options"/> override them field by field.
    /// </summary>
    Task<string> EnqueueAsync<TArgs>(TArgs args, JobOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Enqueues a typed job serialized with <paramref name="typeInfo"/> (from your source-generated context).</summary>
    Task<string> EnqueueAsync<TArgs>(TArgs args, JsonTypeInfo<TArgs> typeInfo, JobOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Enqueues up to 10,000 typed jobs all or nothing, each with <paramref name="options"/> (which may not set an id).</summary>
    Task<IReadOnlyList<string>> EnqueueBatchAsync<TArgs>(IEnumerable<TArgs> args, JobOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The job with its state, attempts and failures; null when the server does not know it.</summary>
    Task<JobView?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until the job is finished (<c>completed</c>, <c>dead</c> or <c>cancelled</c>) and returns it, with its <c>result</c>;
    /// null when the server does not know it (or it was deleted while waited on). Long-polls <c>GET /v1/jobs/{id}/wait</c>, so
    /// the answer comes as the job finishes, without polling. Throws <see cref="TimeoutException"/> when
    /// <paramref name="timeout"/> passes first (null: wait until <paramref name="cancellationToken"/>).
    /// </summary>
    Task<JobView?> WaitForCompletionAsync(string id, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="WaitForCompletionAsync(string, TimeSpan?, CancellationToken)"/>, returning the completed job's result read
    /// with <paramref name="typeInfo"/> (default when its handler returned none); throws <see cref="JobNotCompletedException"/>
    /// when the job ended <c>dead</c> or <c>cancelled</c>, or is unknown.
    /// </summary>
    Task<TResult?> WaitForCompletionAsync<TResult>(string id, JsonTypeInfo<TResult> typeInfo, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>A page of jobs, newest first, filtered by <paramref name="query"/>; pass its <c>NextCursor</c> as <see cref="JobQuery.Cursor"/> for the next.</summary>
    Task<JobListResponse> ListAsync(JobQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Cancels a scheduled, available, active or retrying job; throws a 409 <see cref="ConveyorApiException"/> otherwise.</summary>
    Task CancelAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Makes a dead or retrying job available now; throws a 409 <see cref="ConveyorApiException"/> otherwise.</summary>
    Task RetryAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Counts per state, lifetime totals, the recent completion rate, and the server's store and runtime counters.</summary>
    Task<StatsResponse> GetStatsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every queue the server knows, with its counts, whether it is paused, and its oldest available job.</summary>
    Task<IReadOnlyList<QueueView>> ListQueuesAsync(CancellationToken cancellationToken = default);

    /// <summary>One page of queues by name, after the name <paramref name="after"/>.</summary>
    Task<QueueListResponse> ListQueuesPageAsync(int? limit = null, string? after = null, CancellationToken cancellationToken = default);

    /// <summary>Stops fetches from <paramref name="queue"/>; its jobs stay and enqueues are still accepted.</summary>
    Task PauseQueueAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>Lets fetches take from <paramref name="queue"/> again.</summary>
    Task ResumeQueueAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>Removes the available jobs of <paramref name="queue"/> (scheduled, retrying and active ones stay). Cannot be undone.</summary>
    Task PurgeQueueAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>The worker processes that announced themselves with heartbeats in the last 60 s.</summary>
    /// <summary>Deletes an empty, unpaused queue; a queue with jobs, or paused, is refused (409).</summary>
    Task RemoveQueueAsync(string queue, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<WorkerView>> ListWorkersAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates or replaces the schedule <paramref name="name"/> (a periodic job: cron expression, time zone, the job each tick
    /// enqueues); its last tick is kept, so a replaced schedule does not fire a tick twice. Invalid fields are a 422 naming the field.
    /// </summary>
    Task<CronScheduleView> SetScheduleAsync(string name, CronScheduleRequest schedule, CancellationToken cancellationToken = default);

    /// <summary>One schedule with its last tick and next <paramref name="next"/> fire times (1–100), or null when unknown.</summary>
    Task<CronScheduleView?> GetScheduleAsync(string name, int next = 1, CancellationToken cancellationToken = default);

    /// <summary>Every schedule by name, each with its next <paramref name="next"/> fire times (1–100).</summary>
    Task<IReadOnlyList<CronScheduleView>> ListSchedulesAsync(int next = 1, CancellationToken cancellationToken = default);

    /// <summary>Deletes a schedule (the jobs it enqueued stay); an unknown one is a 404 <see cref="ConveyorApiException"/>.</summary>
    Task DeleteScheduleAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Pauses a schedule: ticks that pass while it is paused never fire. An unknown one is a 404.</summary>
    Task<CronScheduleView> PauseScheduleAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Resumes a schedule from its next tick. An unknown one is a 404.</summary>
    Task<CronScheduleView> ResumeScheduleAsync(string name, CancellationToken cancellationToken = default);
}
