using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Conveyor.Core.Storage;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>
/// What every conformance area shares: a fresh store on a fake clock, and helpers that drive it only
/// through <see cref="IJobStore"/>. A store's test project subclasses each area and says how to open
/// (and reopen) its store; the facts themselves live here, so every store runs the same ones.
/// </summary>
public abstract class StoreConformanceBase : IAsyncLifetime
{
    /// <summary>The seed of the store's jitter source, so runs repeat.</summary>
    protected const int Seed = 20260101;

    /// <summary>The lease most helpers use: short, so expiry tests move the clock a little.</summary>
    protected const int LeaseSeconds = 60;

    /// <summary>The queue helpers use when none is named.</summary>
    protected const string Queue = "conformance";

    private IJobStore? store;
    private IStoreHarness? harness;

    /// <summary>The clock of the store; moves only when a test advances it.</summary>
    protected FakeTimeProvider Time { get; } = new();

    /// <summary>The store under test.</summary>
    protected IJobStore Store => store ?? throw new InvalidOperationException("the store is not open");

    /// <summary>The retention the store is opened with; an area overrides it to test pruning.</summary>
    protected virtual RetentionPolicy Retention => RetentionPolicy.Default;

    /// <summary>The test's cancellation token.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The store's harness: how this store is opened, reopened and cleaned up (a directory, a database).</summary>
    protected abstract IStoreHarness CreateHarness();

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        harness = CreateHarness();
        store = await harness.OpenAsync(new JobStoreSettings { Time = Time, Random = new Random(Seed), Retention = Retention });
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (store is not null)
        {
            await store.DisposeAsync();
            store = null;
        }

        harness?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes the store and opens it again on the same data.</summary>
    protected async ValueTask ReopenAsync() =>
        store = await (harness ?? throw new InvalidOperationException("the store is not open")).ReopenAsync(Store);

    /// <summary>The clock's current time.</summary>
    protected DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>A valid job with defaults a test can override with <c>with</c>.</summary>
    protected static JobSpec Spec(string type = "email.send", string queue = Queue) =>
        new() { Type = type, Queue = queue, LeaseSeconds = LeaseSeconds };

    /// <summary>Enqueues one job and returns its id.</summary>
    protected async ValueTask<string> EnqueueAsync(JobSpec spec)
    {
        var result = await Store.EnqueueAsync(new JobEnqueue([spec]), Ct);
        return Assert.Single(result.Jobs).Id;
    }

    /// <summary>Enqueues one default job in <paramref name="queue"/> and returns its id.</summary>
    protected ValueTask<string> EnqueueAsync(string queue = Queue) => EnqueueAsync(Spec(queue: queue));

    /// <summary>Fetches at most one job from <paramref name="queue"/>; null when none was leased.</summary>
    protected async ValueTask<JobInfo?> FetchOneAsync(string queue = Queue)
    {
        var jobs = await Store.FetchAsync(new JobFetch([queue], 1, "worker-1"), Ct);
        Assert.True(jobs.Count <= 1, $"fetch with max 1 returned {jobs.Count} jobs");
        return jobs.Count == 0 ? null : jobs[0];
    }

    /// <summary>Fetches one job from <paramref name="queue"/>, asserting there was one, and returns its lease token.</summary>
    protected async ValueTask<JobInfo> FetchExpectedAsync(string id, string queue = Queue)
    {
        var job = await FetchOneAsync(queue);
        Assert.NotNull(job);
        Assert.Equal(id, job.Id);
        Assert.NotNull(job.Lease);
        return job;
    }

    /// <summary>Reads a job that must exist.</summary>
    protected async ValueTask<JobInfo> GetAsync(string id)
    {
        var job = await Store.GetJobAsync(new JobGet(id), Ct);
        Assert.NotNull(job);
        return job;
    }

    /// <summary>Reads a job that may have been removed.</summary>
    protected ValueTask<JobInfo?> FindAsync(string id) => Store.GetJobAsync(new JobGet(id), Ct);

    /// <summary>Acks one job.</summary>
    protected async ValueTask<SettleStatus> AckAsync(string id, string token)
    {
        var results = await Store.SettleAsync(new JobSettle([new JobAck(id, token)], []), Ct);
        return Assert.Single(results).Status;
    }

    /// <summary>Fails one job.</summary>
    protected async ValueTask<SettleStatus> FailAsync(string id, string token, TimeSpan? retryIn = null, string message = "boom")
    {
        var fail = new JobFail(id, token, "System.InvalidOperationException", message, ["at Worker.Run()"], retryIn);
        var results = await Store.SettleAsync(new JobSettle([], [fail]), Ct);
        return Assert.Single(results).Status;
    }

    /// <summary>The lease token of an active job's fetch.</summary>
    protected static string TokenOf(JobInfo job) =>
        job.Lease?.Token ?? throw new InvalidOperationException($"job {job.Id} has no lease");

    /// <summary>
    /// Puts a new job into <paramref name="state"/> through the contract alone and returns its id and the
    /// last lease token it was given (null if it was never fetched). Retrying and scheduled jobs are due
    /// an hour from now, so a test can move the clock by less without promoting them. Jobs that must be
    /// fetched get the highest priority, so default-priority jobs already waiting in the queue stay put.
    /// </summary>
    protected async ValueTask<(string Id, string? Token)> PutInStateAsync(JobState state, string queue = Queue)
    {
        var spec = Spec(queue: queue);
        switch (state)
        {
            case JobState.Scheduled:
                return (await EnqueueAsync(spec with { RunAt = Now.AddHours(1) }), null);
            case JobState.Available:
                return (await EnqueueAsync(spec), null);
            case JobState.Cancelled:
                {
                    var id = await EnqueueAsync(spec);
                    Assert.Equal(CommandStatus.Ok, (await Store.CancelAsync(new JobCancel(id), Ct)).Status);
                    return (id, null);
                }
        }

        var jobId = await EnqueueAsync(spec with
        {
            Priority = JobDefaults.MaxPriority,
            MaxAttempts = state == JobState.Dead ? 1 : JobDefaults.MaxAttempts,
        });
        var token = TokenOf(await FetchExpectedAsync(jobId, queue));
        var status = state switch
        {
            JobState.Active => SettleStatus.Ok,
            JobState.Completed => await AckAsync(jobId, token),
            JobState.Retrying => await FailAsync(jobId, token, TimeSpan.FromHours(1)),
            JobState.Dead => await FailAsync(jobId, token),
            _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown state"),
        };
        Assert.Equal(SettleStatus.Ok, status);
        Assert.Equal(state, (await GetAsync(jobId)).State);
        return (jobId, token);
    }

    /// <summary>Asserts the exponential back-off bounds after the failure numbered <paramref name="n"/> (0-based).</summary>
    protected static void AssertBackoff(DateTimeOffset failedAt, DateTimeOffset? runAt, int n)
    {
        Assert.NotNull(runAt);
        var low = Backoff.Exponential.DelayAfter(n, 0);
        var high = Backoff.Exponential.DelayAfter(n, FailureDecision.JitterRange - 1);
        var delay = runAt.Value - failedAt;
        Assert.InRange(delay, low, high);
    }
}
