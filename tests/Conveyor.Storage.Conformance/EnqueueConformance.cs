using System.Text;
using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>Enqueue: ids, idempotency, uniqueness, scheduling, batches and the round trip of every option.</summary>
public abstract class EnqueueConformance : StoreConformanceBase
{
    [Fact]
    public async Task Enqueue_NoId_AssignsA26CharId()
    {
        var result = await Store.EnqueueAsync(new JobEnqueue([Spec(), Spec()]), Ct);

        Assert.Equal(2, result.Jobs.Count);
        Assert.All(result.Jobs, j => Assert.Equal(26, j.Id.Length));
        Assert.All(result.Jobs, j => Assert.True(j.Created));
        Assert.NotEqual(result.Jobs[0].Id, result.Jobs[1].Id);
    }

    [Fact]
    public async Task Enqueue_ExistingClientId_ReturnsExistingJobUnchanged()
    {
        var first = await Store.EnqueueAsync(new JobEnqueue([Spec("a") with { Id = "order-1", Args = Json("[1]") }]), Ct);
        var second = await Store.EnqueueAsync(new JobEnqueue([Spec("a") with { Id = "order-1", Args = Json("[1]"), Priority = 9 }]), Ct);

        Assert.Equal(EnqueueStatus.Ok, second.Status);
        Assert.Equal(new EnqueuedJob("order-1", true), Assert.Single(first.Jobs));
        Assert.Equal(new EnqueuedJob("order-1", false), Assert.Single(second.Jobs));
        var job = await GetAsync("order-1");
        Assert.Equal("a", job.Type);
        Assert.Equal(JobDefaults.Priority, job.Priority);
    }

    [Fact]
    public async Task Enqueue_ExistingIdWithDifferentType_RefusesAsIdConflict()
    {
        await EnqueueAsync(Spec("a") with { Id = "order-1", Args = Json("[1]") });

        var again = await Store.EnqueueAsync(new JobEnqueue([Spec("b") with { Id = "order-1", Args = Json("[1]") }]), Ct);

        Assert.Equal((EnqueueStatus.IdConflict, 0), (again.Status, again.ConflictIndex));
        Assert.Equal("a", (await GetAsync("order-1")).Type);
    }

    [Fact]
    public async Task Enqueue_ExistingIdWithDifferentArgs_RefusesAsIdConflict()
    {
        await EnqueueAsync(Spec() with { Id = "order-1", Args = Json("[1]") });

        // Byte for byte: the same JSON value spelled differently is other args.
        var again = await Store.EnqueueAsync(new JobEnqueue([Spec() with { Id = "order-1", Args = Json("[ 1]") }]), Ct);

        Assert.Equal(EnqueueStatus.IdConflict, again.Status);
        Assert.Equal(0, again.ConflictIndex);
        Assert.Empty(again.Jobs);
        Assert.Equal("[1]", Encoding.UTF8.GetString((await GetAsync("order-1")).Args.Span));
    }

    [Fact]
    public async Task Enqueue_BatchWithConflictingId_WritesNothing()
    {
        await EnqueueAsync(Spec() with { Id = "exists", Args = Json("[1]") });

        var result = await Store.EnqueueAsync(
            new JobEnqueue([Spec() with { Id = "new-1" }, Spec() with { Id = "exists", Args = Json("[2]") }, Spec()]), Ct);

        Assert.Equal((EnqueueStatus.IdConflict, 1), (result.Status, result.ConflictIndex));
        Assert.Null(await FindAsync("new-1"));
        Assert.Equal(1, (await Store.GetStatsAsync(Ct)).Counts[JobState.Available]);
    }

    [Fact]
    public async Task Enqueue_BatchRepeatingIdWithDifferentType_RefusesAsIdConflict()
    {
        var result = await Store.EnqueueAsync(
            new JobEnqueue([Spec("first") with { Id = "dup" }, Spec("second") with { Id = "dup" }]), Ct);

        Assert.Equal((EnqueueStatus.IdConflict, 1), (result.Status, result.ConflictIndex));
        Assert.Null(await FindAsync("dup"));
    }

    [Fact]
    public async Task Enqueue_ExistingIdOfFinishedJob_ReturnsItWhileRetained()
    {
        var id = await EnqueueAsync(Spec() with { Id = "done-1" });
        Assert.Equal(SettleStatus.Ok, await AckAsync(id, TokenOf(await FetchExpectedAsync(id))));

        var again = await Store.EnqueueAsync(new JobEnqueue([Spec() with { Id = "done-1" }]), Ct);

        Assert.Equal(new EnqueuedJob("done-1", false), Assert.Single(again.Jobs));
        Assert.Equal(JobState.Completed, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task Enqueue_UniqueKeyHeldWithinWindow_ReturnsHolder()
    {
        var spec = Spec() with { UniqueKey = "user-7", UniqueForSeconds = 600 };
        var holder = await EnqueueAsync(spec);
        Time.Advance(TimeSpan.FromSeconds(599));

        var again = await Store.EnqueueAsync(new JobEnqueue([spec]), Ct);

        Assert.Equal(new EnqueuedJob(holder, false) { UniqueHeld = true }, Assert.Single(again.Jobs));
    }

    [Fact]
    public async Task Enqueue_UniqueKeyWindowPassed_CreatesNewJob()
    {
        var spec = Spec() with { UniqueKey = "user-7", UniqueForSeconds = 600 };
        var holder = await EnqueueAsync(spec);
        Time.Advance(TimeSpan.FromSeconds(601));

        var again = Assert.Single((await Store.EnqueueAsync(new JobEnqueue([spec]), Ct)).Jobs);

        Assert.True(again.Created);
        Assert.NotEqual(holder, again.Id);
    }

    [Fact]
    public async Task Enqueue_DifferentUniqueKeys_CreatesBoth()
    {
        var a = await EnqueueAsync(Spec() with { UniqueKey = "a", UniqueForSeconds = 600 });
        var b = await EnqueueAsync(Spec() with { UniqueKey = "b", UniqueForSeconds = 600 });

        Assert.NotEqual(a, b);
    }

    [Fact]
    public async Task Enqueue_RunAtInFuture_IsScheduled()
    {
        var runAt = Now.AddMinutes(5);
        var id = await EnqueueAsync(Spec() with { RunAt = runAt });

        var job = await GetAsync(id);

        Assert.Equal(JobState.Scheduled, job.State);
        Assert.Equal(runAt, job.RunAt);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    public async Task Enqueue_RunAtNowOrPast_IsAvailable(int offsetSeconds)
    {
        var id = await EnqueueAsync(Spec() with { RunAt = Now.AddSeconds(offsetSeconds) });

        Assert.Equal(JobState.Available, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task Enqueue_NoRunAt_IsAvailableWithAttemptZero()
    {
        var id = await EnqueueAsync(Spec());

        var job = await GetAsync(id);

        Assert.Equal(JobState.Available, job.State);
        Assert.Equal(0, job.Attempt);
        Assert.Empty(job.Failures);
    }

    [Fact]
    public async Task Enqueue_BatchWithExistingAndNew_ReturnsResultsInRequestOrder()
    {
        await EnqueueAsync(Spec() with { Id = "exists" });

        var result = await Store.EnqueueAsync(
            new JobEnqueue([Spec() with { Id = "new-1" }, Spec() with { Id = "exists" }, Spec() with { Id = "new-2" }]), Ct);

        Assert.Equal(
            [new EnqueuedJob("new-1", true), new EnqueuedJob("exists", false), new EnqueuedJob("new-2", true)],
            result.Jobs);
        Assert.NotNull(await FindAsync("new-1"));
        Assert.NotNull(await FindAsync("new-2"));
    }

    [Fact]
    public async Task Enqueue_BatchWithRepeatedId_ResolvesToFirst()
    {
        var result = await Store.EnqueueAsync(
            new JobEnqueue([Spec("first") with { Id = "dup", Priority = 1 }, Spec("first") with { Id = "dup", Priority = 2 }]), Ct);

        Assert.Equal(2, result.Jobs.Count);
        Assert.All(result.Jobs, j => Assert.Equal("dup", j.Id));
        Assert.True(result.Jobs[0].Created);
        Assert.False(result.Jobs[1].Created);
        Assert.Equal(1, (await GetAsync("dup")).Priority);
        var stats = await Store.GetStatsAsync(Ct);
        Assert.Equal(1, stats.Counts[JobState.Available]);
    }

    [Fact]
    public async Task Enqueue_BatchWithRepeatedUniqueKey_ResolvesToFirst()
    {
        var spec = Spec() with { UniqueKey = "k", UniqueForSeconds = 60 };

        var result = await Store.EnqueueAsync(new JobEnqueue([spec, spec]), Ct);

        Assert.Equal(result.Jobs[0].Id, result.Jobs[1].Id);
        Assert.False(result.Jobs[1].Created);
    }

    [Fact]
    public async Task Enqueue_CancelledBeforeCall_EnqueuesAllOrNothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var specs = Enumerable.Range(0, 20).Select(i => Spec() with { Id = $"batch-{i}" }).ToList();

        try
        {
            await Store.EnqueueAsync(new JobEnqueue(specs), cts.Token);
        }
        catch (OperationCanceledException)
        {
            // Refusing is fine; applying half is not.
        }

        var present = 0;
        foreach (var spec in specs)
        {
            present += await FindAsync(spec.Id!) is null ? 0 : 1;
        }

        Assert.True(present is 0 or 20, $"{present} of 20 jobs of one batch were enqueued");
    }

    [Fact]
    public async Task Enqueue_LargeBatch_EnqueuesEveryJob()
    {
        var specs = Enumerable.Range(0, 500).Select(i => Spec() with { Id = $"job-{i}" }).ToList();

        var result = await Store.EnqueueAsync(new JobEnqueue(specs), Ct);

        Assert.Equal(specs.Select(s => s.Id), result.Jobs.Select(j => j.Id));
        Assert.Equal(500, (await Store.GetStatsAsync(Ct)).Counts[JobState.Available]);
    }

    [Fact]
    public async Task Enqueue_Args_PreservedByteForByte()
    {
        var args = Encoding.UTF8.GetBytes("[ {\"b\" :1, \"a\":\"\\u00e9é\"} ,\n\t2.50e3 ,null ]");
        var id = await EnqueueAsync(Spec() with { Args = args });

        var job = await GetAsync(id);
        var fetched = await FetchExpectedAsync(id);

        Assert.Equal(args, job.Args.ToArray());
        Assert.Equal(args, fetched.Args.ToArray());
    }

    [Fact]
    public async Task Enqueue_EveryOption_RoundTripsThroughGetJob()
    {
        var runAt = Now.AddMinutes(10);
        var spec = new JobSpec
        {
            Id = "all-options",
            Queue = "reports",
            Type = "report.build",
            Args = "{\"x\":1}"u8.ToArray(),
            Priority = 8,
            RunAt = runAt,
            MaxAttempts = 3,
            LeaseSeconds = 90,
            UniqueKey = "report-42",
            UniqueForSeconds = 3600,
            Tags = ["nightly", "finance"],
            Meta = new Dictionary<string, string> { ["traceparent"] = "00-abc-def-01", ["tenant"] = "acme" },
            Backoff = Backoff.Fixed(30),
        };
        var createdAt = Now;

        await EnqueueAsync(spec);
        var job = await GetAsync("all-options");

        Assert.Equal("reports", job.Queue);
        Assert.Equal("report.build", job.Type);
        Assert.Equal(spec.Args.ToArray(), job.Args.ToArray());
        Assert.Equal(8, job.Priority);
        Assert.Equal(runAt, job.RunAt);
        Assert.Equal(3, job.MaxAttempts);
        Assert.Equal(90, job.LeaseSeconds);
        Assert.Equal("report-42", job.UniqueKey);
        Assert.Equal(["nightly", "finance"], job.Tags);
        Assert.Equal(spec.Meta.OrderBy(m => m.Key), job.Meta.OrderBy(m => m.Key));
        Assert.Equal(Backoff.Fixed(30), job.Backoff);
        Assert.Equal(createdAt, job.CreatedAt);
        Assert.Equal(JobState.Scheduled, job.State);
        Assert.Equal(0, job.Attempt);
        Assert.Null(job.FinishedAt);
        Assert.Empty(job.Failures);
    }

    [Theory]
    [InlineData(JobState.Scheduled)]
    [InlineData(JobState.Available)]
    [InlineData(JobState.Active)]
    [InlineData(JobState.Retrying)]
    public async Task Enqueue_UniqueKeyHolderUnfinished_ReturnsHolder(JobState holderState)
    {
        var holder = await PutHolderInStateAsync(holderState);

        var again = Assert.Single((await Store.EnqueueAsync(new JobEnqueue([UniqueSpec()]), Ct)).Jobs);

        Assert.Equal(new EnqueuedJob(holder, false) { UniqueHeld = true }, again);
    }

    [Theory]
    [InlineData(JobState.Completed)]
    [InlineData(JobState.Dead)]
    [InlineData(JobState.Cancelled)]
    public async Task Enqueue_UniqueKeyHolderFinished_CreatesNewJob(JobState holderState)
    {
        var holder = await PutHolderInStateAsync(holderState);

        var again = Assert.Single((await Store.EnqueueAsync(new JobEnqueue([UniqueSpec()]), Ct)).Jobs);

        Assert.True(again.Created);
        Assert.NotEqual(holder, again.Id);
        Assert.Equal(holderState, (await GetAsync(holder)).State);
    }

    private static JobSpec UniqueSpec() => Spec() with { UniqueKey = "only-one", UniqueForSeconds = 24 * 3600 };

    private async ValueTask<string> PutHolderInStateAsync(JobState state)
    {
        var spec = UniqueSpec() with
        {
            RunAt = state == JobState.Scheduled ? Now.AddHours(1) : null,
            MaxAttempts = state == JobState.Dead ? 1 : JobDefaults.MaxAttempts,
        };
        var id = await EnqueueAsync(spec);
        if (state is JobState.Scheduled or JobState.Available)
        {
            return id;
        }

        if (state == JobState.Cancelled)
        {
            Assert.Equal(CommandStatus.Ok, (await Store.CancelAsync(new JobCancel(id), Ct)).Status);
            return id;
        }

        var token = TokenOf(await FetchExpectedAsync(id));
        var status = state switch
        {
            JobState.Completed => await AckAsync(id, token),
            JobState.Retrying or JobState.Dead => await FailAsync(id, token, TimeSpan.FromHours(1)),
            _ => SettleStatus.Ok,
        };
        Assert.Equal(SettleStatus.Ok, status);
        Assert.Equal(state, (await GetAsync(id)).State);
        return id;
    }

    [Fact]
    public async Task Enqueue_UniqueKeyExactlyWindowOld_CreatesNewJob()
    {
        var spec = Spec() with { UniqueKey = "user-7", UniqueForSeconds = 600 };
        var holder = await EnqueueAsync(spec);
        Time.Advance(TimeSpan.FromSeconds(600));

        var again = Assert.Single((await Store.EnqueueAsync(new JobEnqueue([spec]), Ct)).Jobs);

        // "created less than unique_for_seconds ago": at exactly the window the key is free.
        Assert.True(again.Created);
        Assert.NotEqual(holder, again.Id);
    }

    [Theory]
    [InlineData(JobState.Scheduled)]
    [InlineData(JobState.Available)]
    [InlineData(JobState.Active)]
    [InlineData(JobState.Retrying)]
    [InlineData(JobState.Completed)]
    [InlineData(JobState.Dead)]
    [InlineData(JobState.Cancelled)]
    public async Task Enqueue_ExistingIdInAnyState_ReturnsItUnchanged(JobState state)
    {
        var (id, _) = await PutInStateAsync(state);
        var before = await GetAsync(id);

        var again = await Store.EnqueueAsync(new JobEnqueue([Spec(before.Type, "other-queue") with { Id = id, Args = before.Args }]), Ct);

        // Only type and args decide a conflict: the same job sent to another queue is the existing one.
        Assert.Equal(new EnqueuedJob(id, false), Assert.Single(again.Jobs));
        var after = await GetAsync(id);
        Assert.Equal((before.State, before.Type, before.Queue, before.Attempt), (after.State, after.Type, after.Queue, after.Attempt));
        Assert.Empty(await Store.FetchAsync(new JobFetch(["other-queue"], 10, null), Ct));
    }

    private static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);
}
