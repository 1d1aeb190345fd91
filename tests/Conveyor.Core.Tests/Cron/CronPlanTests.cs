using Conveyor.Core.Cron;
using Conveyor.Core.Jobs;
using Xunit;

namespace Conveyor.Core.Tests.Cron;

/// <summary>Parsing schedules and finding their ticks (Cronos underneath), and what a valid schedule is.</summary>
public sealed class CronPlanTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 21, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("*/5 * * * *", 5)]
    [InlineData("*/5 * * * * *", 6)]
    [InlineData("@hourly", 1)]
    public void TryParse_FiveSixFieldsAndMacros_Parse(string expression, int fields)
    {
        var plan = CronPlan.TryParse(expression, "UTC", out var error);

        Assert.Null(error);
        Assert.NotNull(plan);
        var next = plan.NextAfter(Start);
        Assert.Equal(fields == 6 ? Start.AddSeconds(5) : fields == 5 ? Start.AddMinutes(5) : Start.AddHours(1), next);
    }

    [Theory]
    [InlineData("* * *", "UTC", "expression")]
    [InlineData("61 * * * *", "UTC", "expression")]
    [InlineData("", "UTC", "expression")]
    [InlineData("0 3 * * *", "Mars/Olympus", "time_zone")]
    [InlineData("0 3 * * *", "../../../etc/passwd", "time_zone")]
    [InlineData("0 3 * * *", "/etc/localtime", "time_zone")]
    public void TryParse_Invalid_NamesTheField(string expression, string zone, string field)
    {
        Assert.Null(CronPlan.TryParse(expression, zone, out var error));
        Assert.Equal(field, error?.Field);
    }

    [Fact]
    public void LatestDue_LongDowntimeOfAPerSecondSchedule_TheLastTickBeforeNow()
    {
        var plan = CronPlan.Parse("* * * * * *", "UTC");
        var now = Start.AddDays(30).AddMilliseconds(700);

        Assert.Equal(Start.AddDays(30), plan.LatestDue(Start, now));
        Assert.Null(plan.LatestDue(Start.AddDays(30), now));
    }

    [Fact]
    public void LatestDue_SparseSchedule_FindsTheOnlyTick()
    {
        var plan = CronPlan.Parse("0 3 1 1 *", "UTC");

        Assert.Equal(new DateTimeOffset(2027, 1, 1, 3, 0, 0, TimeSpan.Zero), plan.LatestDue(Start, new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void TickToFire_MissedWhileDown_FireOnceFiresSkipDoesNot()
    {
        var plan = CronPlan.Parse("0 * * * *", "UTC");
        var opened = Start.AddHours(5).AddMinutes(30);

        Assert.Equal(Start.AddHours(5), CronDue.TickToFire(plan, CronMissedPolicy.FireOnce, Start, opened, opened));
        Assert.Null(CronDue.TickToFire(plan, CronMissedPolicy.Skip, Start, opened, opened));
        Assert.Equal(Start.AddHours(6), CronDue.TickToFire(plan, CronMissedPolicy.Skip, Start, opened, Start.AddHours(6)));
    }

    [Fact]
    public void Validate_TemplateWithItsOwnId_RefusedAsJobId()
    {
        var schedule = new CronSchedule { Name = "n", Expression = "0 3 * * *", Job = new JobSpec { Type = "t", Id = "fixed" } };

        Assert.Equal("job.id", CronScheduleValidator.Validate(schedule)?.Field);
        Assert.Equal("name", CronScheduleValidator.Validate(schedule with { Name = "has space" })?.Field);
        Assert.Equal("job.type", CronScheduleValidator.Validate(schedule with { Job = new JobSpec { Type = "" } })?.Field);
        Assert.Null(CronScheduleValidator.Validate(schedule with { Job = new JobSpec { Type = "t" } }));
    }

    [Fact]
    public void JobFor_Tick_UniqueKeyAndMetaNameTheTick()
    {
        var schedule = new CronSchedule { Name = "n", Expression = "0 3 * * *", Job = new JobSpec { Type = "t", Meta = new Dictionary<string, string> { ["k"] = "v" } } };

        var job = CronTicks.JobFor(schedule, Start);

        Assert.Equal("cron:n:2026-12-07T21:00:00Z", job.UniqueKey);
        Assert.Equal(CronTicks.UniqueForSeconds, job.UniqueForSeconds);
        Assert.Equal("v", job.Meta["k"]);
        Assert.Equal("n", job.Meta["cron"]);
        Assert.Equal("2026-12-07T21:00:00Z", job.Meta["cron_tick"]);
    }
}
