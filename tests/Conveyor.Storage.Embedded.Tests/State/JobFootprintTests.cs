using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.State;
using Xunit;
using static Conveyor.Storage.Embedded.Tests.State.TableJobs;

namespace Conveyor.Storage.Embedded.Tests.State;

/// <summary>Runs alone: it weighs the whole process's heap.</summary>
[CollectionDefinition(nameof(HeapWeighing), DisableParallelization = true)]
public sealed class HeapWeighing;

/// <summary>
/// The memory budget's accounting is not an undercount: what <see cref="JobTable.HeldBytes"/> says a table of jobs holds
/// is at least what the heap really grew by to hold them (so a full store stops before the heap it was sized for).
/// </summary>
[Collection(nameof(HeapWeighing))]
public sealed class JobFootprintTests
{
    private const int Jobs = 100_000;

    [Theory]
    [InlineData(0)] // the smallest job: where the fixed overhead dominates
    [InlineData(1024)]
    public void HeldBytes_ATableOfJobs_AtLeastWhatTheHeapGrewBy(int argsBytes)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var table = new JobTable();
        for (var batch = 0; batch < Jobs / 1000; batch++)
        {
            table.Apply(new JobsEnqueued(At, [.. Enumerable.Range(0, 1000).Select(i => NewJobOf(argsBytes))]));
        }

        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(table);

        Assert.Equal(Jobs, table.JobCount);
        Assert.True(
            table.HeldBytes >= grown,
            $"accounted {table.HeldBytes / Jobs} bytes a job, the heap grew by {grown / Jobs} a job (args {argsBytes} bytes)");
    }

    [Fact]
    public void Of_SpecAndTheEntryItMakes_Agree()
    {
        var spec = new JobSpec
        {
            Id = "client-id", Type = "t", Args = new byte[100], UniqueKey = "u", Tags = ["a", "bb"],
            Meta = new Dictionary<string, string> { ["k"] = "value" },
        };
        var table = new JobTable();
        var entry = table.NewEntry(
            JobKey.Of(spec.Id), spec.Queue, spec.Type, spec.Args.ToArray(), spec.Priority, spec.MaxAttempts, spec.LeaseSeconds, 0,
            spec.UniqueKey, 1, [.. spec.Tags], [.. spec.Meta], Backoff.Exponential, discardWhenDead: false, At);

        Assert.Equal(JobFootprint.Of(spec), JobFootprint.Of(entry));
    }

    private static NewJob NewJobOf(int argsBytes) =>
        Job("unused") with { Id = JobKey.FromValue(JobIdGenerator.NewValue(DateTimeOffset.UtcNow)), Args = new byte[argsBytes] };
}
