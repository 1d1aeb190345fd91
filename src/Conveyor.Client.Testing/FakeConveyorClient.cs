using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Conveyor.Contracts;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Queues;
using Conveyor.Contracts.Workers;

namespace Conveyor.Client.Testing;

/// <summary>
/// An in-memory <see cref="IConveyorClient"/> for unit tests of application code: it records enqueues in order, builds each
/// job as the real client would (type name, policy, JSON through <see cref="ConveyorClientOptions.SerializerOptions"/>), assigns
/// ids, deduplicates by id and unique key, and answers get, list, stats and queue calls from the jobs it holds. No job ever
/// runs: move one with <see cref="SetState"/>. Thread-safe.
/// </summary>
public sealed partial class FakeConveyorClient : IConveyorClient
{
    private static readonly string[] Unfinished = ["scheduled", "available", "active", "retrying"];
    private readonly Lock gate = new();
    private readonly List<EnqueuedJob> jobs = [];
    private readonly Dictionary<string, string> states = new(StringComparer.Ordinal);
    private readonly HashSet<string> paused = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> results = new(StringComparer.Ordinal);

    /// <summary>Completed (and replaced) on every change of a job's state, so waiters look again.</summary>
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long lastId;

    /// <summary>A fake using <paramref name="options"/> (your type names, policies and JSON context) or the defaults.</summary>
    public FakeConveyorClient(ConveyorClientOptions? options = null)
    {
        Options = options ?? new ConveyorClientOptions();
    }

    /// <summary>The options typed enqueues are built with.</summary>
    public ConveyorClientOptions Options { get; }

    /// <summary>Every job held, in enqueue order.</summary>
    public IReadOnlyList<EnqueuedJob> Jobs
    {
        get
        {
            lock (gate)
            {
                return [.. jobs];
            }
        }
    }

    /// <summary>The arguments of the jobs enqueued typed as <typeparamref name="TArgs"/>, in order.</summary>
    public IReadOnlyList<TArgs> Enqueued<TArgs>() => [.. Jobs.Select(j => j.Args).OfType<TArgs>()];

    /// <summary>The jobs of type <paramref name="jobType"/>, in order.</summary>
    public IReadOnlyList<EnqueuedJob> Enqueued(string jobType) => [.. Jobs.Where(j => j.Type == jobType)];

    /// <summary>The state a job is in: <c>available</c> or <c>scheduled</c> when enqueued, then what <see cref="SetState"/> and the calls made it.</summary>
    public string StateOf(string id)
    {
        lock (gate)
        {
            return states.TryGetValue(id, out var state) ? state : throw new KeyNotFoundException($"no job {id}");
        }
    }

    /// <summary>Moves a job to <paramref name="state"/> (<c>completed</c>, <c>dead</c>, ...), as a worker would have.</summary>
    public void SetState(string id, string state)
    {
        ArgumentException.ThrowIfNullOrEmpty(state);
        lock (gate)
        {
            if (!states.ContainsKey(id))
            {
                throw new KeyNotFoundException($"no job {id}");
            }

            states[id] = state;
            Changed();
        }
    }

    /// <summary>
    /// Completes a job with <paramref name="result"/> (serialized with <paramref name="typeInfo"/>, or
    /// <see cref="ConveyorClientOptions.SerializerOptions"/>), as a worker whose handler returned it would have: its view shows
    /// the result and <see cref="WaitForCompletionAsync{TResult}"/> returns it.
    /// </summary>
    public void Complete<TResult>(string id, TResult result, JsonTypeInfo<TResult>? typeInfo = null)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(result, typeInfo ?? (JsonTypeInfo<TResult>)Options.SerializerOptions.GetTypeInfo(typeof(TResult)));
        lock (gate)
        {
            if (!states.ContainsKey(id))
            {
                throw new KeyNotFoundException($"no job {id}");
            }

            results[id] = bytes;
            states[id] = "completed";
            Changed();
        }
    }

    /// <summary>Forgets every job, paused queue, schedule and result.</summary>
    public void Clear()
    {
        lock (gate)
        {
            jobs.Clear();
            states.Clear();
            paused.Clear();
            schedules.Clear();
            results.Clear();
            Changed();
        }
    }

    public Task<string> EnqueueRawAsync(EnqueueRequest job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (gate)
        {
            return Task.FromResult(Add(job, null));
        }
    }

    public Task<EnqueueResponse> EnqueueRawWithResultAsync(EnqueueRequest job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (gate)
        {
            return Task.FromResult(Answer(job, null));
        }
    }

    public Task<EnqueueResponse> EnqueueWithResultAsync<TArgs>(TArgs args, JobOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = Options.CreateEnqueueRequest(args, options);
        lock (gate)
        {
            return Task.FromResult(Answer(request, args));
        }
    }

    public Task<IReadOnlyList<string>> EnqueueRawBatchAsync(IReadOnlyList<EnqueueRequest> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. jobs.Select(job => Add(job, null))]);
        }
    }

    public Task<string> EnqueueAsync<TArgs>(TArgs args, JobOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = Options.CreateEnqueueRequest(args, options);
        lock (gate)
        {
            return Task.FromResult(Add(request, args));
        }
    }

    public Task<string> EnqueueAsync<TArgs>(TArgs args, JsonTypeInfo<TArgs> typeInfo, JobOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = Options.CreateEnqueueRequest(args, typeInfo, options);
        lock (gate)
        {
            return Task.FromResult(Add(request, args));
        }
    }

    public Task<IReadOnlyList<string>> EnqueueBatchAsync<TArgs>(IEnumerable<TArgs> args, JobOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (options?.Id is not null)
        {
            throw new ArgumentException("a batch cannot give every job the same id", nameof(options));
        }

        var requests = args.Select(a => (Args: a, Request: Options.CreateEnqueueRequest(a, options))).ToList();
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. requests.Select(r => Add(r.Request, r.Args))]);
        }
    }

    public Task<JobView?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(jobs.FirstOrDefault(j => j.Id == id) is { } job ? View(job) : null);
        }
    }

    /// <summary>Answers once the job's state is <c>completed</c>, <c>dead</c> or <c>cancelled</c> (see <see cref="SetState"/> and <see cref="Complete{TResult}"/>).</summary>
    public async Task<JobView?> WaitForCompletionAsync(string id, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var time = Options.TimeProvider;
        var started = time.GetTimestamp();
        while (true)
        {
            Task next;
            lock (gate)
            {
                var job = jobs.FirstOrDefault(j => j.Id == id);
                if (job is null || JobCompletion.IsFinished(states[id]))
                {
                    return job is null ? null : View(job);
                }

                next = changed.Task;
            }

            if (timeout is { } total)
            {
                var left = total - time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    throw new TimeoutException($"job '{id}' is still {StateOf(id)} after {total}");
                }

                await Task.WhenAny(next, Task.Delay(left, time, cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                await next.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <inheritdoc cref="WaitForCompletionAsync(string, TimeSpan?, CancellationToken)" />
    public async Task<TResult?> WaitForCompletionAsync<TResult>(
        string id, JsonTypeInfo<TResult> typeInfo, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        JobCompletion.ResultOf(id, await WaitForCompletionAsync(id, timeout, cancellationToken).ConfigureAwait(false), typeInfo);

    public Task<JobListResponse> ListAsync(JobQuery? query = null, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var matching = Enumerable.Reverse(jobs)
                .Where(j => (query?.State is null || states[j.Id] == query.State)
                    && (query?.Queue is null || j.Queue == query.Queue)
                    && (query?.Type is null || j.Type == query.Type))
                .ToList();
            var skip = query?.Cursor is { } cursor ? int.Parse(cursor, System.Globalization.CultureInfo.InvariantCulture) : 0;
            var limit = query?.Limit ?? 50;
            var page = matching.Skip(skip).Take(limit).Select(View).ToList();
            var next = skip + limit < matching.Count ? (skip + limit).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            return Task.FromResult(new JobListResponse(page, next));
        }
    }

    public Task CancelAsync(string id, CancellationToken cancellationToken = default) =>
        Move(id, Unfinished, "cancelled");

    public Task RetryAsync(string id, CancellationToken cancellationToken = default) =>
        Move(id, ["dead", "retrying"], "available");

    public Task<StatsResponse> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            string[] all = [.. Unfinished, "completed", "dead", "cancelled"];
            var counts = all.ToDictionary(s => s, s => (long)states.Values.Count(v => v == s), StringComparer.Ordinal);
            return Task.FromResult(new StatsResponse(counts, counts["completed"], counts["dead"], 0));
        }
    }

    public Task<IReadOnlyList<QueueView>> ListQueuesAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var names = jobs.Select(j => j.Queue).Concat(paused).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            return Task.FromResult<IReadOnlyList<QueueView>>([.. names.Select(name =>
            {
                var inQueue = jobs.Where(j => j.Queue == name).ToList();
                int Count(string state) => inQueue.Count(j => states[j.Id] == state);
                var available = inQueue.Where(j => states[j.Id] == "available").ToList();
                return new QueueView(name, available.Count, Count("scheduled"), Count("retrying"), Count("active"), paused.Contains(name))
                {
                    OldestAvailableAt = available.Count == 0 ? null : available.Min(j => j.EnqueuedAt),
                };
            })]);
        }
    }

    public async Task<QueueListResponse> ListQueuesPageAsync(int? limit = null, string? after = null, CancellationToken cancellationToken = default)
    {
        var all = await ListQueuesAsync(cancellationToken).ConfigureAwait(false);
        var page = all.Where(q => after is null || string.CompareOrdinal(q.Name, after) > 0).Take((limit ?? 100) + 1).ToList();
        var more = page.Count > (limit ?? 100);
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        return new QueueListResponse(page, more ? page[^1].Name : null);
    }

    public Task RemoveQueueAsync(string queue, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            // The fake knows queues only through their jobs and pause flags, so an empty queue is already gone.
            if (paused.Contains(queue) || jobs.Any(j => j.Queue == queue && Unfinished.Contains(states[j.Id])))
            {
                throw new ConveyorApiException(HttpStatusCode.Conflict, new Problem { Type = ProblemTypes.Conflict, Status = 409, Detail = $"queue {queue} has unfinished jobs or is paused" });
            }
        }

        return Task.CompletedTask;
    }

    public Task PauseQueueAsync(string queue, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            paused.Add(queue);
        }

        return Task.CompletedTask;
    }

    public Task ResumeQueueAsync(string queue, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            paused.Remove(queue);
        }

        return Task.CompletedTask;
    }

    public Task PurgeQueueAsync(string queue, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            foreach (var job in jobs.Where(j => j.Queue == queue && states[j.Id] == "available").ToList())
            {
                jobs.Remove(job);
                states.Remove(job.Id);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WorkerView>> ListWorkersAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<WorkerView>>([]);

    /// <summary>As the server answers: the id, and <c>duplicate: true</c> when an existing job was returned.</summary>
    private EnqueueResponse Answer(EnqueueRequest request, object? args)
    {
        var count = jobs.Count;
        var id = Add(request, args);
        return jobs.Count > count ? new EnqueueResponse(id) : new EnqueueResponse(id) { Duplicate = true };
    }

    /// <summary>Holds <paramref name="request"/> unless its id or live unique key is taken; returns the id to answer.</summary>
    private string Add(EnqueueRequest request, object? args)
    {
        var now = Options.TimeProvider.GetUtcNow();
        var existing = jobs.FirstOrDefault(j =>
            (request.Id is not null && j.Id == request.Id)
            || (request.UniqueKey is not null && j.Request.UniqueKey == request.UniqueKey && Unfinished.Contains(states[j.Id])
                && (j.Request.UniqueForSeconds is null or 0 || now < j.EnqueuedAt.AddSeconds(j.Request.UniqueForSeconds.Value))));
        if (existing is not null)
        {
            return existing.Id;
        }

        var id = request.Id ?? $"fake-{++lastId:D6}";
        jobs.Add(new EnqueuedJob(id, request, args, now));
        var runAt = request.RunAt ?? (request.DelayMs is { } ms ? now.AddMilliseconds(ms) : null);
        states[id] = runAt > now ? "scheduled" : "available";
        return id;
    }

    private JobView View(EnqueuedJob job) => new()
    {
        Id = job.Id,
        Queue = job.Queue,
        Type = job.Type,
        Args = job.Request.Args,
        Priority = job.Request.Priority ?? 5,
        State = states[job.Id],
        MaxAttempts = job.Request.MaxAttempts ?? 25,
        Dead = job.Request.Dead ?? true,
        LeaseSeconds = job.Request.LeaseSeconds ?? 1800,
        CreatedAt = job.EnqueuedAt,
        RunAt = job.Request.RunAt ?? (job.Request.DelayMs is { } ms ? job.EnqueuedAt.AddMilliseconds(ms) : null),
        UniqueKey = job.Request.UniqueKey,
        Tags = job.Request.Tags ?? [],
        Meta = job.Request.Meta ?? new Dictionary<string, string>(),
        Backoff = job.Request.Backoff ?? "exponential",
        Result = results.TryGetValue(job.Id, out var result) ? new RawJson(result) : null,
    };

    /// <summary>Wakes the waiters (called under the lock after a state changes).</summary>
    private void Changed()
    {
        var woken = changed;
        changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        woken.TrySetResult();
    }

    private Task Move(string id, string[] from, string to)
    {
        lock (gate)
        {
            if (!states.TryGetValue(id, out var state))
            {
                throw new ConveyorApiException(HttpStatusCode.NotFound, new Problem { Type = ProblemTypes.NotFound, Status = 404, Detail = $"no job {id}" });
            }

            if (!from.Contains(state))
            {
                throw new ConveyorApiException(HttpStatusCode.Conflict, new Problem { Type = ProblemTypes.Conflict, Status = 409, Detail = $"job {id} is {state}" });
            }

            states[id] = to;
            Changed();
        }

        return Task.CompletedTask;
    }
}
