using System.Text;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>Unique jobs: each <see cref="UniqueMode"/> holds its key over the right states, within the window, across restarts.</summary>
public abstract class UniqueConformance : StoreConformanceBase
{
    private static JobSpec Unique(UniqueMode mode, int window = 0) =>
        Spec() with { UniqueKey = "k", UniqueMode = mode, UniqueForSeconds = window, Priority = JobDefaults.MaxPriority };

    private async ValueTask<EnqueuedJob> EnqueueAgainAsync(JobSpec spec) =>
        Assert.Single((await Store.EnqueueAsync(new JobEnqueue([spec]), Ct)).Jobs);

    private async ValueTask AssertHeldByAsync(string holder, JobSpec spec) =>
        Assert.Equal(new EnqueuedJob(holder, false) { UniqueHeld = true }, await EnqueueAgainAsync(spec));

    private async ValueTask AssertFreeAsync(string holder, JobSpec spec)
    {
        var again = await EnqueueAgainAsync(spec);
        Assert.True(again.Created);
        Assert.False(again.UniqueHeld);
        Assert.NotEqual(holder, again.Id);
    }

    [Fact]
    public async Task UntilFinished_HeldWhileActiveAndRetrying_ReleasedOnAck()
    {
        var spec = Unique(UniqueMode.UntilFinished);
        var holder = await EnqueueAsync(spec);
        var token = TokenOf(await FetchExpectedAsync(holder));
        await AssertHeldByAsync(holder, spec);
        Assert.Equal(SettleStatus.Ok, await FailAsync(holder, token, TimeSpan.FromHours(1)));
        await AssertHeldByAsync(holder, spec);

        Time.Advance(TimeSpan.FromHours(2));
        await Store.PromoteAsync(new JobsPromote(), Ct);
        Assert.Equal(SettleStatus.Ok, await AckAsync(holder, TokenOf(await FetchExpectedAsync(holder))));

        await AssertFreeAsync(holder, spec);
    }

    [Fact]
    public async Task UntilFinished_Dead_Released()
    {
        var spec = Unique(UniqueMode.UntilFinished) with { MaxAttempts = 1 };
        var holder = await EnqueueAsync(spec);
        Assert.Equal(SettleStatus.Ok, await FailAsync(holder, TokenOf(await FetchExpectedAsync(holder))));
        Assert.Equal(JobState.Dead, (await GetAsync(holder)).State);

        await AssertFreeAsync(holder, spec);
    }

    [Fact]
    public async Task UntilStarted_HeldWhileScheduledAndAvailable_ReleasedOnFetch()
    {
        var spec = Unique(UniqueMode.UntilStarted) with { RunAt = Now.AddMinutes(5) };
        var holder = await EnqueueAsync(spec);
        await AssertHeldByAsync(holder, spec);
        Time.Advance(TimeSpan.FromMinutes(6));
        await Store.PromoteAsync(new JobsPromote(), Ct);
        await AssertHeldByAsync(holder, spec);

        await FetchExpectedAsync(holder);

        await AssertFreeAsync(holder, spec);
    }

    [Fact]
    public async Task UntilStarted_LeaseReleasedUndelivered_HeldAgain()
    {
        var spec = Unique(UniqueMode.UntilStarted);
        var holder = await EnqueueAsync(spec);
        var token = TokenOf(await FetchExpectedAsync(holder));

        Assert.Equal(1, await Store.ReleaseAsync(new LeasesRelease([new JobLeaseRef(holder, token)]), Ct));

        // The fetch never reached a worker: the job has not started, so it holds its key again.
        await AssertHeldByAsync(holder, spec);
    }

    [Fact]
    public async Task UntilStarted_RetryingAfterFailure_NotHeld()
    {
        var spec = Unique(UniqueMode.UntilStarted);
        var holder = await EnqueueAsync(spec);
        Assert.Equal(SettleStatus.Ok, await FailAsync(holder, TokenOf(await FetchExpectedAsync(holder)), TimeSpan.FromHours(1)));

        await AssertFreeAsync(holder, spec);
    }

    [Fact]
    public async Task UntilCompleted_HeldThroughRetryAndDead_ReleasedWhenRetriedJobCompletes()
    {
        var spec = Unique(UniqueMode.UntilCompleted) with { MaxAttempts = 2 };
        var holder = await EnqueueAsync(spec);
        Assert.Equal(SettleStatus.Ok, await FailAsync(holder, TokenOf(await FetchExpectedAsync(holder)), TimeSpan.FromHours(1)));
        await AssertHeldByAsync(holder, spec);
        Time.Advance(TimeSpan.FromHours(2));
        await Store.PromoteAsync(new JobsPromote(), Ct);
        Assert.Equal(SettleStatus.Ok, await FailAsync(holder, TokenOf(await FetchExpectedAsync(holder))));
        Assert.Equal(JobState.Dead, (await GetAsync(holder)).State);
        await AssertHeldByAsync(holder, spec);

        Assert.Equal(CommandStatus.Ok, (await Store.RetryAsync(new JobRetry(holder), Ct)).Status);
        Assert.Equal(SettleStatus.Ok, await AckAsync(holder, TokenOf(await FetchExpectedAsync(holder))));

        await AssertFreeAsync(holder, spec);
    }

    [Fact]
    public async Task UntilCompleted_Cancelled_Released()
    {
        var spec = Unique(UniqueMode.UntilCompleted);
        var holder = await EnqueueAsync(spec);
        await AssertHeldByAsync(holder, spec);

        Assert.Equal(CommandStatus.Ok, (await Store.CancelAsync(new JobCancel(holder), Ct)).Status);

        await AssertFreeAsync(holder, spec);
    }

    [Fact]
    public async Task UntilCompleted_DeadJobDiscarded_Released()
    {
        var spec = Unique(UniqueMode.UntilCompleted) with { MaxAttempts = 1 };
        var holder = await EnqueueAsync(spec);
        Assert.Equal(SettleStatus.Ok, await FailAsync(holder, TokenOf(await FetchExpectedAsync(holder))));

        Assert.Equal(1, await Store.DiscardAsync(new JobsDiscard([holder]), Ct));

        await AssertFreeAsync(holder, spec);
    }

    [Theory]
    [InlineData(UniqueMode.UntilFinished)]
    [InlineData(UniqueMode.UntilStarted)]
    [InlineData(UniqueMode.UntilCompleted)]
    public async Task Window_Passed_ReleasedInEveryMode(UniqueMode mode)
    {
        var spec = Unique(mode, window: 600);
        var holder = await EnqueueAsync(spec);
        Time.Advance(TimeSpan.FromSeconds(599));
        await AssertHeldByAsync(holder, spec);
        Time.Advance(TimeSpan.FromSeconds(1));

        await AssertFreeAsync(holder, spec);
    }

    [Fact]
    public async Task Window_Scheduled_CountsFromRunAt()
    {
        var spec = Unique(UniqueMode.UntilFinished, window: 600) with { RunAt = Now.AddHours(1) };
        var holder = await EnqueueAsync(spec);

        // An hour of delay plus most of the window: still held, as Faktory Enterprise counts it.
        Time.Advance(TimeSpan.FromSeconds(3600 + 599));
        await AssertHeldByAsync(holder, spec);
    }

    [Fact]
    public async Task NoWindow_HeldPastAYear()
    {
        var spec = Unique(UniqueMode.UntilFinished);
        var holder = await EnqueueAsync(spec);

        Time.Advance(TimeSpan.FromDays(400));

        await AssertHeldByAsync(holder, spec);
    }

    [Fact]
    public async Task Duplicate_SameBatch_NamesFirstAndSameIdIsNotUniqueHeld()
    {
        var spec = Unique(UniqueMode.UntilFinished);
        var result = await Store.EnqueueAsync(new JobEnqueue([spec with { Id = "first" }, spec, spec with { Id = "first" }]), Ct);

        Assert.Equal(
            [new EnqueuedJob("first", true), new EnqueuedJob("first", false) { UniqueHeld = true }, new EnqueuedJob("first", false)],
            result.Jobs);
    }

    [Fact]
    public async Task ByArgs_SameArgsWrittenDifferently_SameKeyAndHeld()
    {
        var key = UniqueKeys.ByArgs(Queue, "email.send", Encoding.UTF8.GetBytes("""[ {"b": 1, "a": "\u0078"}, 2 ]"""));
        Assert.Equal(key, UniqueKeys.ByArgs(Queue, "email.send", Encoding.UTF8.GetBytes("""[{"a":"x","b":1},2]""")));
        Assert.NotEqual(key, UniqueKeys.ByArgs("other", "email.send", Encoding.UTF8.GetBytes("""[{"a":"x","b":1},2]""")));
        Assert.NotEqual(key, UniqueKeys.ByArgs(Queue, "other", Encoding.UTF8.GetBytes("""[{"a":"x","b":1},2]""")));
        Assert.NotEqual(key, UniqueKeys.ByArgs(Queue, "email.send", Encoding.UTF8.GetBytes("""[{"a":"x","b":1},3]""")));
        Assert.StartsWith(UniqueKeys.Prefix, key, StringComparison.Ordinal);
        Assert.True(key.Length <= Core.Inputs.InputLimits.UniqueKeyLength);

        var holder = await EnqueueAsync(Spec() with { UniqueKey = key });

        await AssertHeldByAsync(holder, Spec() with { UniqueKey = key });
    }

    [Fact]
    public async Task Restart_ModesAndHoldsKept()
    {
        var completed = await EnqueueAsync(Unique(UniqueMode.UntilCompleted) with { UniqueKey = "completed", MaxAttempts = 1 });
        Assert.Equal(SettleStatus.Ok, await FailAsync(completed, TokenOf(await FetchExpectedAsync(completed))));
        var started = await EnqueueAsync(Unique(UniqueMode.UntilStarted) with { UniqueKey = "started" });

        await ReopenAsync();

        Assert.Equal(UniqueMode.UntilStarted, (await GetAsync(started)).UniqueMode);
        Assert.Equal(UniqueMode.UntilCompleted, (await GetAsync(completed)).UniqueMode);
        await AssertHeldByAsync(started, Unique(UniqueMode.UntilStarted) with { UniqueKey = "started" });
        await AssertHeldByAsync(completed, Unique(UniqueMode.UntilCompleted) with { UniqueKey = "completed" });
        await FetchExpectedAsync(started);
        await ReopenAsync();
        await AssertFreeAsync(started, Unique(UniqueMode.UntilStarted) with { UniqueKey = "started" });
    }
}
