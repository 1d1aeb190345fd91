using Conveyor.Core.Jobs;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.State;
using Xunit;
using static Conveyor.Storage.Embedded.Tests.State.TableJobs;

namespace Conveyor.Storage.Embedded.Tests.State;

/// <summary>
/// The due and lease heaps drop stale entries: jobs acked or cancelled long before their lease or run time
/// must not keep the heaps (and the removed jobs they point at) growing with throughput.
/// </summary>
public sealed class JobTableHeapTests
{
    private const long LeaseTicks = 1800 * TimeSpan.TicksPerSecond;

    [Fact]
    public void Leases_JobsAckedAndPrunedLongBeforeExpiry_HeapStaysBounded()
    {
        var table = new JobTable();
        long token = 0;
        for (var round = 0; round < 100; round++)
        {
            var ids = Enumerable.Range(0, 100).Select(i => $"r{round}-{i}").ToArray();
            table.Apply(new JobsEnqueued(At, [.. ids.Select(id => Job(id))]));
            table.Apply(new JobsLeased(At, "w", [.. ids.Select(id => new LeaseGrant(id, ++token, At + LeaseTicks))]));
            table.Apply(new JobsSettled(At, [.. ids.Select(id => new SettledJob(id, JobState.Completed, 0, null))]));
            table.Apply(new JobsPruned([.. ids.Select(id => (JobKey)id)]));
        }

        Assert.Equal(0, table.JobCount);
        Assert.InRange(table.HeapSizes.Leases, 0, 1024);
    }

    [Fact]
    public void Leases_LiveLeasesSurviveCompaction_AndExpireInOrder()
    {
        var table = new JobTable();
        var live = Enumerable.Range(0, 50).Select(i => $"live-{i}").ToArray();
        table.Apply(new JobsEnqueued(At, [.. live.Select(id => Job(id))]));
        table.Apply(new JobsLeased(At, "w", [.. live.Select((id, i) => new LeaseGrant(id, i + 1, At + LeaseTicks + i))]));
        long token = live.Length;
        for (var round = 0; round < 50; round++)
        {
            var ids = Enumerable.Range(0, 100).Select(i => $"r{round}-{i}").ToArray();
            table.Apply(new JobsEnqueued(At, [.. ids.Select(id => Job(id))]));
            table.Apply(new JobsLeased(At, "w", [.. ids.Select(id => new LeaseGrant(id, ++token, At + (2 * LeaseTicks)))]));
            table.Apply(new JobsSettled(At, [.. ids.Select(id => new SettledJob(id, JobState.Completed, 0, null))]));
        }

        Assert.InRange(table.HeapSizes.Leases, live.Length, 1024);
        var expired = table.TakeExpiredLeases(At + LeaseTicks + live.Length, int.MaxValue);

        Assert.Equal(live, expired.Select(j => j.Key.ToString()));
    }

    [Fact]
    public void Due_ScheduledJobsCancelledLongBeforeTheirTime_HeapStaysBounded()
    {
        var table = new JobTable();
        var runAt = At + TimeSpan.TicksPerDay;
        for (var round = 0; round < 100; round++)
        {
            var ids = Enumerable.Range(0, 100).Select(i => $"r{round}-{i}").ToArray();
            table.Apply(new JobsEnqueued(At, [.. ids.Select(id => Job(id, runAt: runAt))]));
            foreach (var id in ids)
            {
                table.Apply(new JobCancelled(id, At));
            }

            table.Apply(new JobsPruned([.. ids.Select(id => (JobKey)id)]));
        }

        var kept = Job("kept", runAt: runAt);
        table.Apply(new JobsEnqueued(At, [kept]));

        Assert.InRange(table.HeapSizes.Due, 0, 1024);
        Assert.Equal(["kept"], table.TakeDue(runAt, int.MaxValue).Select(j => j.Key.ToString()));
    }
}
