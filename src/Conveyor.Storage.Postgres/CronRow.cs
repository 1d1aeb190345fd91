using Conveyor.Core.Cron;
using Npgsql;

namespace Conveyor.Storage.Postgres;

/// <summary>A row of the <c>cron</c> table: the schedule and its times in UTC ticks.</summary>
internal sealed record CronRow(string Name, byte[] Definition, bool Paused, long CreatedAt, long UpdatedAt, long Since, long? LastTick)
{
    public CronSchedule Schedule => CronDefinitionCodec.Read(Name, Paused, Definition);

    public static CronRow Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetFieldValue<byte[]>(1), r.GetBoolean(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.IsDBNull(6) ? null : r.GetInt64(6));

    public CronScheduleInfo ToInfo() =>
        new(Schedule, JobRows.Time(CreatedAt), JobRows.Time(UpdatedAt), LastTick is { } tick ? JobRows.Time(tick) : null);
}
