using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>Heartbeat: extends the current lease only.</summary>
public abstract class HeartbeatConformance : StoreConformanceBase
{
    [Fact]
    public async Task Heartbeat_NoExtend_ExtendsByLeaseSeconds()
    {
        var id = await EnqueueAsync();
        var token = TokenOf(await FetchExpectedAsync(id));
        Time.Advance(TimeSpan.FromSeconds(40));

        var result = await Store.HeartbeatAsync(new JobHeartbeat(id, token), Ct);

        Assert.Equal(SettleStatus.Ok, result.Status);
        Assert.Equal(Now.AddSeconds(LeaseSeconds), result.ExpiresAt);
        var job = await GetAsync(id);
        Assert.Equal(JobState.Active, job.State);
        Assert.Equal(Now.AddSeconds(LeaseSeconds), job.Lease?.ExpiresAt);
        Assert.Equal(token, job.Lease?.Token);
    }

    [Fact]
    public async Task Heartbeat_Extend_ExtendsFromNow()
    {
        var id = await EnqueueAsync();
        var token = TokenOf(await FetchExpectedAsync(id));
        Time.Advance(TimeSpan.FromSeconds(10));

        var result = await Store.HeartbeatAsync(new JobHeartbeat(id, token, TimeSpan.FromSeconds(600)), Ct);

        Assert.Equal(Now.AddSeconds(600), result.ExpiresAt);
        Assert.Equal(Now.AddSeconds(600), (await GetAsync(id)).Lease?.ExpiresAt);
    }

    [Fact]
    public async Task Heartbeat_Extended_LeaseDoesNotExpireAtOldDeadline()
    {
        var id = await EnqueueAsync();
        var token = TokenOf(await FetchExpectedAsync(id));
        Time.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(SettleStatus.Ok, (await Store.HeartbeatAsync(new JobHeartbeat(id, token), Ct)).Status);
        Time.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(0, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));
        Assert.Equal(SettleStatus.Ok, await AckAsync(id, token));
    }

    [Fact]
    public async Task Heartbeat_WrongToken_StaleAndLeaseUnchanged()
    {
        var id = await EnqueueAsync();
        var lease = (await FetchExpectedAsync(id)).Lease;
        Time.Advance(TimeSpan.FromSeconds(10));

        var result = await Store.HeartbeatAsync(new JobHeartbeat(id, "not-the-token"), Ct);

        Assert.Equal(SettleStatus.Stale, result.Status);
        Assert.Equal(lease, (await GetAsync(id)).Lease);
    }

    [Fact]
    public async Task Heartbeat_AfterAck_Stale()
    {
        var id = await EnqueueAsync();
        var token = TokenOf(await FetchExpectedAsync(id));
        Assert.Equal(SettleStatus.Ok, await AckAsync(id, token));

        Assert.Equal(SettleStatus.Stale, (await Store.HeartbeatAsync(new JobHeartbeat(id, token), Ct)).Status);
    }

    [Fact]
    public async Task Heartbeat_UnknownId_Unknown()
    {
        var result = await Store.HeartbeatAsync(new JobHeartbeat("no-such-job", "token"), Ct);

        Assert.Equal(SettleStatus.Unknown, result.Status);
        Assert.Null(result.ExpiresAt);
    }

    [Fact]
    public async Task Heartbeat_PastExpiresAtBeforeMaintenance_ExtendsLease()
    {
        var id = await EnqueueAsync();
        var token = TokenOf(await FetchExpectedAsync(id));
        Time.Advance(TimeSpan.FromSeconds(LeaseSeconds + 10));

        var result = await Store.HeartbeatAsync(new JobHeartbeat(id, token), Ct);

        Assert.Equal(SettleStatus.Ok, result.Status);
        Assert.Equal(Now.AddSeconds(LeaseSeconds), result.ExpiresAt);
        Assert.Equal(0, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));
    }

    [Fact]
    public async Task Heartbeat_AfterLeaseExpiredByMaintenance_Stale()
    {
        var id = await EnqueueAsync();
        var token = TokenOf(await FetchExpectedAsync(id));
        Time.Advance(TimeSpan.FromSeconds(LeaseSeconds));
        Assert.Equal(1, await Store.ExpireLeasesAsync(new LeasesExpire(), Ct));

        Assert.Equal(SettleStatus.Stale, (await Store.HeartbeatAsync(new JobHeartbeat(id, token), Ct)).Status);
    }
}
