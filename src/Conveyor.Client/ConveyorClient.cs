using System.Globalization;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using Conveyor.Client.Diagnostics;
using Conveyor.Client.Http;
using Conveyor.Client.Json;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Queues;
using Conveyor.Contracts.Workers;

namespace Conveyor.Client;

/// <summary>
/// The producer and operator side of Conveyor's HTTP API: enqueue (one, a batch, typed); get, list, cancel and retry jobs;
/// stats; list, pause, resume and purge queues; list worker processes.
/// Thread-safe; register it once with <c>services.AddConveyorClient(...)</c> and inject it (or <see cref="IConveyorClient"/>). Error answers throw
/// <see cref="ConveyorApiException"/>. Every enqueue carries the current <see cref="System.Diagnostics.Activity"/>'s
/// trace context in the job's meta.
/// </summary>
public sealed partial class ConveyorClient : IConveyorClient
{
    /// <summary>The largest page of queues the server gives (fewer round trips when following every page).</summary>
    private const int MaxQueuePage = 1000;

    private static readonly TimeSpan NoExtraTime = TimeSpan.Zero;

    /// <summary>The longest single long-poll of <see cref="WaitForCompletionAsync(string, TimeSpan?, CancellationToken)"/> (the server allows 60 s).</summary>
    private static readonly TimeSpan MaxWaitPoll = TimeSpan.FromSeconds(30);
    private readonly ConveyorTransport transport;

    /// <summary>A client on an <see cref="HttpClient"/> you own (without DI); its address is <paramref name="options"/>' <see cref="ConveyorClientOptions.ServerUrl"/>.</summary>
    public ConveyorClient(HttpClient httpClient, ConveyorClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        transport = new ConveyorTransport(() => httpClient, options ?? new ConveyorClientOptions());
    }

    internal ConveyorClient(ConveyorTransport transport)
    {
        this.transport = transport;
    }

    internal ConveyorTransport Transport => transport;

    /// <summary>Enqueues one job in its wire shape (any type name, args as raw JSON); returns its id (the existing one when deduplicated).</summary>
    public async Task<string> EnqueueRawAsync(EnqueueRequest job, CancellationToken cancellationToken = default) =>
        (await EnqueueRawWithResultAsync(job, cancellationToken).ConfigureAwait(false)).Id;

    /// <summary>
    /// Enqueues one job in its wire shape; answers its id and <see cref="EnqueueResponse.Duplicate"/> true when no job was
    /// made because one with the same id or unique key exists (the id is then that job's).
    /// </summary>
    public async Task<EnqueueResponse> EnqueueRawWithResultAsync(EnqueueRequest job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var request = job with { Meta = TraceMeta.Inject(job.Meta) };
        var response = await transport.SendAsync(HttpMethod.Post, "v1/jobs", request, ConveyorJsonContext.Default.EnqueueRequest,
            ConveyorJsonContext.Default.EnqueueResponse, NoExtraTime, notFoundIsNull: false, cancellationToken).ConfigureAwait(false);
        return response!;
    }

    /// <summary>Enqueues a typed job as <see cref="EnqueueAsync{TArgs}(TArgs, JobOptions?, CancellationToken)"/> does; answers its id and whether it was a duplicate.</summary>
    public Task<EnqueueResponse> EnqueueWithResultAsync<TArgs>(TArgs args, JobOptions? options = null, CancellationToken cancellationToken = default) =>
        EnqueueRawWithResultAsync(transport.Options.CreateEnqueueRequest(args, JobTypeResolver.TypeInfoOf<TArgs>(transport.Options), options), cancellationToken);

    /// <summary>Enqueues up to 10,000 jobs all or nothing; returns their ids in order.</summary>
    public async Task<IReadOnlyList<string>> EnqueueRawBatchAsync(IReadOnlyList<EnqueueRequest> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var request = new EnqueueBatchRequest { Jobs = [.. jobs.Select(job => job with { Meta = TraceMeta.Inject(job.Meta) })] };
        var response = await transport.SendAndReadAsync<EnqueueBatchRequest, EnqueueBatchResponse>(HttpMethod.Post, "v1/jobs/batch", request, ConveyorJsonContext.Default.EnqueueBatchRequest,
            async (body, token) => await EnqueueBatchResponseReader.ReadAsync(body, token).ConfigureAwait(false), NoExtraTime, notFoundIsNull: false, cancellationToken).ConfigureAwait(false);
        return response!.Ids;
    }

    /// <summary>
    /// Enqueues a typed job. Its type name comes from <see cref="ConveyorClientOptions.MapJobType{TArgs}"/> or
    /// <see cref="JobTypeAttribute"/>, its policy from <see cref="ConveyorClientOptions.SetPolicy{TArgs}"/> or
    /// <see cref="JobPolicyAttribute"/> (<paramref name="options"/> override it field by field); <paramref name="args"/> is
    /// serialized with the metadata in <see cref="ConveyorClientOptions.SerializerOptions"/>.
    /// </summary>
    public Task<string> EnqueueAsync<TArgs>(TArgs args, JobOptions? options = null, CancellationToken cancellationToken = default) =>
        EnqueueAsync(args, JobTypeResolver.TypeInfoOf<TArgs>(transport.Options), options, cancellationToken);

    /// <summary>Enqueues a typed job serialized with <paramref name="typeInfo"/> (from your source-generated context).</summary>
    public Task<string> EnqueueAsync<TArgs>(TArgs args, JsonTypeInfo<TArgs> typeInfo, JobOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return EnqueueRawAsync(transport.Options.CreateEnqueueRequest(args, typeInfo, options), cancellationToken);
    }

    /// <summary>Enqueues up to 10,000 typed jobs all or nothing, each with <paramref name="options"/> (which may not set an id).</summary>
    public Task<IReadOnlyList<string>> EnqueueBatchAsync<TArgs>(IEnumerable<TArgs> args, JobOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (options?.Id is not null)
        {
            throw new ArgumentException("a batch cannot give every job the same id", nameof(options));
        }

        var typeInfo = JobTypeResolver.TypeInfoOf<TArgs>(transport.Options);
        return EnqueueRawBatchAsync([.. args.Select(a => transport.Options.CreateEnqueueRequest(a, typeInfo, options))], cancellationToken);
    }

    /// <summary>The job with its state, attempts and failures; null when the server does not know it.</summary>
    public Task<JobView?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return transport.SendAsync<object, JobView>(HttpMethod.Get, "v1/jobs/" + Uri.EscapeDataString(id), null, null,
            ConveyorJsonContext.Default.JobView, NoExtraTime, notFoundIsNull: true, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<JobView?> WaitForCompletionAsync(string id, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout ?? TimeSpan.Zero, TimeSpan.Zero, nameof(timeout));
        var time = transport.Options.TimeProvider;
        var started = time.GetTimestamp();
        while (true)
        {
            var left = timeout is { } limit ? limit - time.GetElapsedTime(started) : MaxWaitPoll;
            var wait = left < TimeSpan.Zero ? TimeSpan.Zero : left < MaxWaitPoll ? left : MaxWaitPoll;
            var ms = (long)wait.TotalMilliseconds;
            var job = await transport.SendAsync<object, JobView>(HttpMethod.Get, $"v1/jobs/{Uri.EscapeDataString(id)}/wait?timeout_ms={ms}", null, null,
                ConveyorJsonContext.Default.JobView, wait, notFoundIsNull: true, cancellationToken).ConfigureAwait(false);
            if (job is null || JobCompletion.IsFinished(job.State))
            {
                return job;
            }

            if (timeout is { } total && time.GetElapsedTime(started) >= total)
            {
                throw new TimeoutException($"job '{id}' is still {job.State} after {total}");
            }
        }
    }

    /// <inheritdoc />
    public async Task<TResult?> WaitForCompletionAsync<TResult>(
        string id, JsonTypeInfo<TResult> typeInfo, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        var job = await WaitForCompletionAsync(id, timeout, cancellationToken).ConfigureAwait(false);
        return JobCompletion.ResultOf(id, job, typeInfo);
    }

    /// <summary>A page of jobs, newest first; pass its <c>NextCursor</c> as <see cref="JobQuery.Cursor"/> for the next.</summary>
    public async Task<JobListResponse> ListAsync(JobQuery? query = null, CancellationToken cancellationToken = default)
    {
        var path = new StringBuilder("v1/jobs?");
        Append(path, "state", query?.State);
        Append(path, "queue", query?.Queue);
        Append(path, "type", query?.Type);
        Append(path, "limit", query?.Limit?.ToString(CultureInfo.InvariantCulture));
        Append(path, "cursor", query?.Cursor);
        var response = await transport.SendAsync<object, JobListResponse>(HttpMethod.Get, path.ToString(), null, null,
            ConveyorJsonContext.Default.JobListResponse, NoExtraTime, notFoundIsNull: false, cancellationToken).ConfigureAwait(false);
        return response!;
    }

    /// <summary>Cancels a scheduled, available, active or retrying job; throws a 409 <see cref="ConveyorApiException"/> otherwise.</summary>
    public Task CancelAsync(string id, CancellationToken cancellationToken = default) => PostEmptyAsync(id, "cancel", cancellationToken);

    /// <summary>Makes a dead or retrying job available now; throws a 409 <see cref="ConveyorApiException"/> otherwise.</summary>
    public Task RetryAsync(string id, CancellationToken cancellationToken = default) => PostEmptyAsync(id, "retry", cancellationToken);

    /// <summary>Counts per state, lifetime totals, the recent completion rate, and the server's store and runtime counters.</summary>
    public async Task<StatsResponse> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        var response = await transport.SendAsync<object, StatsResponse>(HttpMethod.Get, "v1/stats", null, null,
            ConveyorJsonContext.Default.StatsResponse, NoExtraTime, notFoundIsNull: false, cancellationToken).ConfigureAwait(false);
        return response!;
    }

    /// <summary>Every queue the server knows, by name, with its counts, whether it is paused and its oldest available job (following every page).</summary>
    public async Task<IReadOnlyList<QueueView>> ListQueuesAsync(CancellationToken cancellationToken = default)
    {
        var queues = new List<QueueView>();
        string? after = null;
        do
        {
            var page = await ListQueuesPageAsync(MaxQueuePage, after, cancellationToken).ConfigureAwait(false);
            queues.AddRange(page.Queues);
            after = page.Next;
        }
        while (after is not null);

        return queues;
    }

    /// <summary>
    /// One page of queues by name: at most <paramref name="limit"/> (1–1,000; the server's default, 100, when null),
    /// the first after the name <paramref name="after"/>; pass the page's <c>Next</c> as <paramref name="after"/> for the next.
    /// </summary>
    public async Task<QueueListResponse> ListQueuesPageAsync(int? limit = null, string? after = null, CancellationToken cancellationToken = default)
    {
        var path = new StringBuilder("v1/queues?");
        Append(path, "limit", limit?.ToString(CultureInfo.InvariantCulture));
        Append(path, "after", after);
        var response = await transport.SendAsync<object, QueueListResponse>(HttpMethod.Get, path.ToString(), null, null,
            ConveyorJsonContext.Default.QueueListResponse, NoExtraTime, notFoundIsNull: false, cancellationToken).ConfigureAwait(false);
        return response!;
    }

    /// <summary>Stops fetches from <paramref name="queue"/>; its jobs stay and enqueues are still accepted. Pausing a paused queue is a no-op.</summary>
    public Task PauseQueueAsync(string queue, CancellationToken cancellationToken = default) =>
        SendQueueAsync(HttpMethod.Post, queue, "/pause", cancellationToken);

    /// <summary>Lets fetches take from <paramref name="queue"/> again. Resuming a running queue is a no-op.</summary>
    public Task ResumeQueueAsync(string queue, CancellationToken cancellationToken = default) =>
        SendQueueAsync(HttpMethod.Post, queue, "/resume", cancellationToken);

    /// <summary>Removes the available jobs of <paramref name="queue"/> (scheduled, retrying and active ones stay). Cannot be undone.</summary>
    public Task PurgeQueueAsync(string queue, CancellationToken cancellationToken = default) =>
        SendQueueAsync(HttpMethod.Delete, queue, "", cancellationToken);

    /// <summary>
    /// Deletes <paramref name="queue"/> when it has no available, scheduled, retrying or active job and is not paused; throws
    /// a 409 <see cref="ConveyorApiException"/> otherwise, and a 404 one when the server knows no such queue.
    /// </summary>
    public Task RemoveQueueAsync(string queue, CancellationToken cancellationToken = default) =>
        SendQueueAsync(HttpMethod.Delete, queue, "?remove=true", cancellationToken);

    /// <summary>
    /// The worker processes that announced themselves with heartbeats in the last 60 s (Faktory clients send them;
    /// this SDK's worker host does not, so it is not listed).
    /// </summary>
    public async Task<IReadOnlyList<WorkerView>> ListWorkersAsync(CancellationToken cancellationToken = default)
    {
        var response = await transport.SendAsync<object, IReadOnlyList<WorkerView>>(HttpMethod.Get, "v1/workers", null, null,
            ConveyorJsonContext.Default.IReadOnlyListWorkerView, NoExtraTime, notFoundIsNull: false, cancellationToken).ConfigureAwait(false);
        return response!;
    }

    private Task SendQueueAsync(HttpMethod method, string queue, string verb, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        return transport.SendAsync<object, object>(method, $"v1/queues/{Uri.EscapeDataString(queue)}{verb}", null, null, null,
            NoExtraTime, notFoundIsNull: false, cancellationToken);
    }

    private Task PostEmptyAsync(string id, string verb, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return transport.SendAsync<object, object>(HttpMethod.Post, $"v1/jobs/{Uri.EscapeDataString(id)}/{verb}", null, null, null,
            NoExtraTime, notFoundIsNull: false, cancellationToken);
    }

    private static void Append(StringBuilder path, string name, string? value)
    {
        if (value is not null)
        {
            path.Append(name).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
        }
    }
}
