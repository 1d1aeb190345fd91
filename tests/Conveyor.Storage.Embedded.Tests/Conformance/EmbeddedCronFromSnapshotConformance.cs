using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

/// <summary>The cron facts again, recovering schedules from a snapshot (body version 5) instead of replaying the log.</summary>
public sealed class EmbeddedCronFromSnapshotConformance : CronConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness(snapshotBeforeReopen: true);
}
