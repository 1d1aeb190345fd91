using Conveyor.Core.Cron;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Storage.Conformance;

/// <summary>
/// Schedules (periodic jobs): a tick fires once, at its time and not before, through restarts; missed ticks after
/// downtime fire once or are skipped; pause, delete and time zones. The clock starts on a minute (2026-01-01T00:00:00Z).
/// </summary>
public abstract class CronConformance : StoreConformanceBase
{
    private const string Name = "every-minute";

    /// <summary>A schedule ticking every minute on second 0 (6 fields), whose job goes to <see cref="StoreConformanceBase.Queue"/>.</summary>
    protected static CronSchedule Schedule(string name = Name, string expression = "0 * * * * *", string timeZone = "UTC", CronMissedPolicy missed = CronMissedPolicy.FireOnce) => new()
    {
        Name = name,
        Expression = expression,
        TimeZone = timeZone,
        Missed = missed,
        Job = Spec(type: "report.build") with { Args = "[1]"u8.ToArray() },
    };

    [Fact]
    public async Task FireDue_BeforeTheTick_NothingThenOneJobAtTheTick()
    {
        await SaveAsync(Schedule());
        Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await FireAsync());
        Assert.Empty(await TickJobsAsync());

        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await FireAsync());

        var tick = Now;
        var job = Assert.Single(await TickJobsAsync());
        Assert.Equal(CronTicks.UniqueKey(Name, tick), job.UniqueKey);
        Assert.Equal("cron:every-minute:2026-01-01T00:01:00Z", job.UniqueKey);
        Assert.Equal("report.build", job.Type);
        Assert.Equal(Queue, job.Queue);
        Assert.Equal("[1]"u8.ToArray(), job.Args.ToArray());
        Assert.Equal(tick, (await GetScheduleAsync()).LastTick);
    }

    [Fact]
    public async Task FireDue_AgainWithinTheSameTick_NoSecondJob()
    {
        await SaveAsync(Schedule());
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await FireAsync());
        Time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(0, await FireAsync());
        Assert.Single(await TickJobsAsync());
    }

    [Fact]
    public async Task FireDue_EveryTick_OneJobPerTick()
    {
        await SaveAsync(Schedule());
        for (var i = 0; i < 3; i++)
        {
            Time.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(1, await FireAsync());
        }

        var keys = (await TickJobsAsync()).Select(j => j.UniqueKey).ToHashSet();
        Assert.Equal(3, keys.Count);
    }

    [Fact]
    public async Task Reopen_BetweenFireAndNextTick_DoesNotFireAgain()
    {
        await SaveAsync(Schedule());
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await FireAsync());
        var tick = Now;

        await ReopenAsync();
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, await FireAsync());
        Assert.Single(await TickJobsAsync());
        Assert.Equal(tick, (await GetScheduleAsync()).LastTick);

        Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(1, await FireAsync());
        Assert.Equal(2, (await TickJobsAsync()).Count);
    }

    [Fact]
    public async Task Reopen_AfterMissedTicks_FireOnceFiresTheLatestOnce()
    {
        await SaveAsync(Schedule());

        // Down for five and a half minutes: nothing fired while the clock moved, then the store opens again.
        Time.Advance(TimeSpan.FromSeconds(330));
        await ReopenAsync();

        Assert.Equal(1, await FireAsync());
        Assert.Equal(0, await FireAsync());
        var job = Assert.Single(await TickJobsAsync());
        Assert.Equal("cron:every-minute:2026-01-01T00:05:00Z", job.UniqueKey);
    }

    [Fact]
    public async Task Reopen_AfterMissedTicks_SkipFiresNothingUntilTheNextTick()
    {
        await SaveAsync(Schedule(missed: CronMissedPolicy.Skip));
        Time.Advance(TimeSpan.FromSeconds(330));
        await ReopenAsync();

        Assert.Equal(0, await FireAsync());
        Assert.Empty(await TickJobsAsync());

        Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await FireAsync());
        var job = Assert.Single(await TickJobsAsync());
        Assert.Equal("cron:every-minute:2026-01-01T00:06:00Z", job.UniqueKey);
    }

    [Fact]
    public async Task Pause_TicksWhilePaused_NeverFire()
    {
        await SaveAsync(Schedule());
        var paused = await Store.CronPauseAsync(new CronPause(Name, true), Ct);
        Assert.NotNull(paused);
        Assert.True(paused.Schedule.Paused);

        Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, await FireAsync());

        Time.Advance(TimeSpan.FromSeconds(10));
        Assert.False((await Store.CronPauseAsync(new CronPause(Name, false), Ct))!.Schedule.Paused);
        Assert.Equal(0, await FireAsync());
        Assert.Empty(await TickJobsAsync());

        Time.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(1, await FireAsync());
        Assert.Null(await Store.CronPauseAsync(new CronPause("unknown", true), Ct));
    }

    [Fact]
    public async Task Pause_SurvivesReopen()
    {
        await SaveAsync(Schedule());
        await Store.CronPauseAsync(new CronPause(Name, true), Ct);
        await ReopenAsync();

        Assert.True((await GetScheduleAsync()).Schedule.Paused);
        Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, await FireAsync());
    }

    [Fact]
    public async Task Delete_Schedule_GoneAndFiresNoMore()
    {
        await SaveAsync(Schedule());
        await SaveAsync(Schedule(name: "other", expression: "0 0 * * *"));
        Assert.True(await Store.CronDeleteAsync(new CronDelete(Name), Ct));
        Assert.False(await Store.CronDeleteAsync(new CronDelete(Name), Ct));
        await ReopenAsync();

        Assert.Null(await Store.CronGetAsync(new CronGet(Name), Ct));
        Assert.Equal(["other"], (await Store.CronListAsync(Ct)).Select(s => s.Schedule.Name));
        Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, await FireAsync());
    }

    [Fact]
    public async Task Save_Replace_KeepsLastTickAndDoesNotRefire()
    {
        await SaveAsync(Schedule());
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await FireAsync());
        var tick = Now;

        Time.Advance(TimeSpan.FromSeconds(5));
        var replaced = await SaveAsync(Schedule() with { Job = Spec(type: "report.other") });
        Assert.Equal(tick, replaced.LastTick);
        Assert.Equal("report.other", replaced.Schedule.Job.Type);
        Assert.Equal(0, await FireAsync());

        Time.Advance(TimeSpan.FromSeconds(55));
        Assert.Equal(1, await FireAsync());
        Assert.Contains(await TickJobsAsync(), j => j.Type == "report.other");
    }

    [Fact]
    public async Task Save_SameDefinitionAgain_ChangesNothing()
    {
        var first = await SaveAsync(Schedule());
        Time.Advance(TimeSpan.FromSeconds(30));
        var again = await SaveAsync(Schedule());
        Assert.Equal(first.UpdatedAt, again.UpdatedAt);
        Assert.Equal(first.CreatedAt, again.CreatedAt);
    }

    [Fact]
    public async Task Save_AllFields_ReadBackAfterReopen()
    {
        var schedule = Schedule(expression: "*/5 * * * *", timeZone: "Europe/Berlin", missed: CronMissedPolicy.Skip) with
        {
            Job = Spec(type: "t") with
            {
                Priority = 7,
                MaxAttempts = 3,
                LeaseSeconds = 90,
                Dead = false,
                Tags = ["a", "b"],
                Meta = new Dictionary<string, string> { ["k"] = "v" },
                Backoff = Core.Retry.Backoff.Fixed(30),
                Args = "{\"x\":1}"u8.ToArray(),
            },
        };
        await SaveAsync(schedule);
        await ReopenAsync();

        var read = (await GetScheduleAsync()).Schedule;
        Assert.Equal(schedule.Expression, read.Expression);
        Assert.Equal(schedule.TimeZone, read.TimeZone);
        Assert.Equal(CronMissedPolicy.Skip, read.Missed);
        Assert.Equal(7, read.Job.Priority);
        Assert.Equal(3, read.Job.MaxAttempts);
        Assert.Equal(90, read.Job.LeaseSeconds);
        Assert.False(read.Job.Dead);
        Assert.Equal(["a", "b"], read.Job.Tags);
        Assert.Equal("v", read.Job.Meta["k"]);
        Assert.Equal(Core.Retry.Backoff.Fixed(30), read.Job.Backoff);
        Assert.Equal("{\"x\":1}"u8.ToArray(), read.Job.Args.ToArray());
    }

    [Fact]
    public async Task FireDue_TimeZoneAcrossDst_FiresAtLocalTime()
    {
        // 09:00 in Berlin is 08:00Z in winter and 07:00Z after the clocks go forward on 2026-03-29.
        Time.SetUtcNow(new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero));
        await SaveAsync(Schedule(expression: "0 9 * * *", timeZone: "Europe/Berlin"));

        Time.SetUtcNow(new DateTimeOffset(2026, 3, 28, 7, 59, 59, TimeSpan.Zero));
        Assert.Equal(0, await FireAsync());
        Time.SetUtcNow(new DateTimeOffset(2026, 3, 28, 8, 0, 0, TimeSpan.Zero));
        Assert.Equal(1, await FireAsync());

        Time.SetUtcNow(new DateTimeOffset(2026, 3, 29, 6, 59, 59, TimeSpan.Zero));
        Assert.Equal(0, await FireAsync());
        Time.SetUtcNow(new DateTimeOffset(2026, 3, 29, 7, 0, 0, TimeSpan.Zero));
        Assert.Equal(1, await FireAsync());

        Assert.Equal(
            ["cron:every-minute:2026-03-28T08:00:00Z", "cron:every-minute:2026-03-29T07:00:00Z"],
            (await TickJobsAsync()).Select(j => j.UniqueKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FireDue_Maximum_FiresThatManyThenTheRest()
    {
        foreach (var name in new[] { "a", "b", "c" })
        {
            await SaveAsync(Schedule(name: name));
        }

        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, await Store.CronFireDueAsync(new CronFireDue(2), Ct));
        Assert.Equal(1, await Store.CronFireDueAsync(new CronFireDue(2), Ct));
        Assert.Equal(0, await Store.CronFireDueAsync(new CronFireDue(2), Ct));
    }

    /// <summary>Saves a schedule and returns it as stored.</summary>
    protected async ValueTask<CronScheduleInfo> SaveAsync(CronSchedule schedule)
    {
        Assert.Null(CronScheduleValidator.Validate(schedule));
        return await Store.CronSaveAsync(new CronSave(schedule), Ct);
    }

    /// <summary>Fires what is due.</summary>
    protected ValueTask<int> FireAsync() => Store.CronFireDueAsync(new CronFireDue(100), Ct);

    private async ValueTask<CronScheduleInfo> GetScheduleAsync(string name = Name)
    {
        var schedule = await Store.CronGetAsync(new CronGet(name), Ct);
        Assert.NotNull(schedule);
        return schedule;
    }

    /// <summary>Every job a schedule enqueued (they carry a cron unique key).</summary>
    private async ValueTask<IReadOnlyList<JobInfo>> TickJobsAsync()
    {
        var page = await Store.ListJobsAsync(new JobList(Queue: Queue, Limit: JobList.MaxLimit), Ct);
        return [.. page.Jobs.Where(j => j.UniqueKey?.StartsWith("cron:", StringComparison.Ordinal) == true)];
    }
}
