using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>
/// Cancelling a running job, as its worker learns it: the lease check (<see cref="IJobStore.CheckLeasesAsync"/>) reports
/// a cancelled or lost lease and nothing for a held one, writes nothing, and the old token settles nothing afterwards.
/// </summary>
public abstract class CancelRunningConformance : StoreConformanceBase
{
    [Fact]
    public async Task CheckLeases_HeldLeases_ReportsNothing()
    {
        var first = await EnqueueAsync();
        var second = await EnqueueAsync();
        var firstToken = TokenOf(await FetchExpectedAsync(first));
        var secondToken = TokenOf(await FetchExpectedAsync(second));
        Time.Advance(TimeSpan.FromSeconds(LeaseSeconds + 5));

        var lost = await CheckAsync((first, firstToken), (second, secondToken));

        // Past its end but not yet expired by maintenance, a lease is still held (a heartbeat would extend it).
        Assert.Empty(lost);
    }

    [Fact]
    public async Task CheckLeases_ActiveJobCancelled_ReportsCancelled()
    {
        var id = await EnqueueAsync();
        var token = TokenOf(await FetchExpectedAsync(id));
        Assert.Equal(CommandStatus.Ok, (await Store.CancelAsync(new JobCancel(id), Ct)).Status);

        var lost = Assert.Single(await CheckAsync((id, token)));

        Assert.Equal((id, token, LeaseLoss.Cancelled), (lost.Id.ToString(), lost.Token, lost.Loss));
        Assert.Equal(JobState.Cancelled, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task Settle_OldTokenAfterCancel_RefusedAndJobStaysCancelled()
    {
        var id = await EnqueueAsync();
        var token = TokenOf(await FetchExpectedAsync(id));
        Assert.Equal(CommandStatus.Ok, (await Store.CancelAsync(new JobCancel(id), Ct)).Status);

        Assert.Equal(SettleStatus.Stale, await AckAsync(id, token));
        Assert.Equal(SettleStatus.Stale, await FailAsync(id, token));
        Assert.Equal(SettleStatus.Stale, (await Store.HeartbeatAsync(new JobHeartbeat(id, token), Ct)).Status);

        var job = await GetAsync(id);
        Assert.Equal(JobState.Cancelled, job.State);
        Assert.Null(job.Lease);
        Assert.Empty(job.Failures);
        Assert.Equal(LeaseLoss.Cancelled, Assert.Single(await CheckAsync((id, token))).Loss);
    }

    [Fact]
    public async Task CheckLeases_ExpiredAndReleased_ReportsLostForTheOldTokenOnly()
    {
        var id = await EnqueueAsync();
        var oldToken = TokenOf(await FetchExpectedAsync(id));
        Time.Advance(TimeSpan.FromSeconds(LeaseSeconds));
        Assert.Equal(1, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));
        Time.SetUtcNow((await GetAsync(id)).RunAt!.Value);
        var newToken = TokenOf(await FetchExpectedAsync(id));

        var lost = Assert.Single(await CheckAsync((id, oldToken), (id, newToken)));

        Assert.Equal((oldToken, LeaseLoss.Lost), (lost.Token, lost.Loss));
    }

    [Fact]
    public async Task CheckLeases_SettledAndUnknown_ReportsLostAndUnknownInTheOrderNamed()
    {
        var acked = await EnqueueAsync();
        var ackedToken = TokenOf(await FetchExpectedAsync(acked));
        Assert.Equal(SettleStatus.Ok, await AckAsync(acked, ackedToken));
        var held = await EnqueueAsync();
        var heldToken = TokenOf(await FetchExpectedAsync(held));

        var lost = await CheckAsync(("no-such-job", "1"), (held, heldToken), (acked, ackedToken), (held, "not-the-token"));

        Assert.Equal(
            [("no-such-job", LeaseLoss.Unknown), (acked, LeaseLoss.Lost), (held, LeaseLoss.Lost)],
            lost.Select(l => (l.Id.ToString(), l.Loss)));
    }

    [Fact]
    public async Task CheckLeases_WritesNothing_SurvivesAReopenUnchanged()
    {
        var id = await EnqueueAsync();
        var token = TokenOf(await FetchExpectedAsync(id));
        var before = await GetAsync(id);

        Assert.Empty(await CheckAsync((id, token)));
        await ReopenAsync();

        var after = await GetAsync(id);
        Assert.Equal((before.State, before.Attempt, before.Lease), (after.State, after.Attempt, after.Lease));
        Assert.Empty(await CheckAsync((id, token)));
        Assert.Empty(await CheckAsync());
    }

    private async ValueTask<IReadOnlyList<LostLease>> CheckAsync(params (string Id, string Token)[] leases) =>
        await Store.CheckLeasesAsync(new LeasesCheck([.. leases.Select(l => new JobLeaseRef(l.Id, l.Token))]), Ct);
}
