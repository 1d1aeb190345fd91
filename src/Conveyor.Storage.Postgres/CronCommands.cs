using System.Collections.Concurrent;
using Conveyor.Core.Cron;
using Conveyor.Core.Storage;
using Npgsql;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// Schedules in the <c>cron</c> table. Only the leader fires ticks, each in one transaction that starts with the leader
/// fence, locks the schedule's row (skipping one another node is firing), enqueues the tick's job (whose unique key names the tick, a second guard) and records the tick, so a
/// tick fires once across nodes, crashes and restarts.
/// </summary>
internal static class CronCommands
{
    private const string Columns = "name, definition, paused, created_at, updated_at, since, last_tick";

    private static readonly ConcurrentDictionary<(string Expression, string Zone), CronPlan?> Plans = new();

    public static Task<CronScheduleInfo> SaveAsync(StoreContext context, CronSchedule schedule, CancellationToken cancellationToken) =>
        context.Db.WriteAsync(
            async (connection, transaction) =>
            {
                var definition = CronDefinitionCodec.Write(schedule);
                var existing = await ReadOneAsync(context.Db, connection, transaction, schedule.Name, forUpdate: true, cancellationToken).ConfigureAwait(false);
                if (existing is { } row && row.Definition.AsSpan().SequenceEqual(definition) && row.Paused == schedule.Paused)
                {
                    return row.ToInfo();
                }

                var now = context.Now;
                await using var command = context.Db.Command(connection, transaction, $$"""
                    INSERT INTO {s}.cron (name, definition, paused, created_at, updated_at, since) VALUES ($1, $2, $3, $4, $4, $4)
                    ON CONFLICT (name) DO UPDATE SET definition = EXCLUDED.definition, paused = EXCLUDED.paused, updated_at = $4, since = $4
                    RETURNING {{Columns}}
                    """).With(schedule.Name).With(definition).With(schedule.Paused).With(now);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return CronRow.Read(reader).ToInfo();
            },
            cancellationToken);

    public static Task<bool> DeleteAsync(StoreContext context, string name, CancellationToken cancellationToken) =>
        context.Db.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = context.Db.Command(connection, transaction, "DELETE FROM {s}.cron WHERE name = $1").With(name);
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            },
            cancellationToken);

    public static Task<CronScheduleInfo?> GetAsync(StoreContext context, string name, CancellationToken cancellationToken) =>
        context.Db.ReadAsync(
            async connection => (await ReadOneAsync(context.Db, connection, null, name, forUpdate: false, cancellationToken).ConfigureAwait(false))?.ToInfo(),
            cancellationToken);

    public static async Task<IReadOnlyList<CronScheduleInfo>> ListAsync(StoreContext context, CancellationToken cancellationToken) =>
        [.. (await ReadAllAsync(context, cancellationToken).ConfigureAwait(false)).Select(r => r.ToInfo())];

    public static Task<CronScheduleInfo?> PauseAsync(StoreContext context, string name, bool paused, CancellationToken cancellationToken) =>
        context.Db.WriteAsync(
            async (connection, transaction) =>
            {
                var existing = await ReadOneAsync(context.Db, connection, transaction, name, forUpdate: true, cancellationToken).ConfigureAwait(false);
                if (existing is null || existing.Paused == paused)
                {
                    return existing?.ToInfo();
                }

                await using var command = context.Db.Command(connection, transaction,
                    $"UPDATE {{s}}.cron SET paused = $2, updated_at = $3, since = $3 WHERE name = $1 RETURNING {Columns}").With(name).With(paused).With(context.Now);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return (CronScheduleInfo?)CronRow.Read(reader).ToInfo();
            },
            cancellationToken);

    public static Task<int> FireDueAsync(StoreContext context, int max, CancellationToken cancellationToken) =>
        context.Leader?.Current is { } held ? FireDueAsync(context, held, max, cancellationToken) : Task.FromResult(0);

    /// <summary>Fires due ticks as the leader of term <paramref name="held"/>: nothing when the row names another term by now.</summary>
    public static async Task<int> FireDueAsync(StoreContext context, LeaderTerm held, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var fired = 0;
        foreach (var candidate in await ReadAllAsync(context, cancellationToken).ConfigureAwait(false))
        {
            if (fired == max)
            {
                break;
            }

            if (candidate.Paused || TickOf(context, candidate) is null)
            {
                continue;
            }

            var available = new HashSet<string>(StringComparer.Ordinal);
            var fire = await context.Db.WriteAsync(
                async (connection, transaction) =>
                {
                    if (!await LeaderCommands.FenceAsync(context.Db, connection, transaction, held, cancellationToken).ConfigureAwait(false))
                    {
                        return false;
                    }

                    var row = await ReadOneAsync(context.Db, connection, transaction, candidate.Name, forUpdate: true, cancellationToken, skipLocked: true).ConfigureAwait(false);
                    if (row is null || row.Paused || TickOf(context, row) is not { } tick)
                    {
                        return false;
                    }

                    var job = CronTicks.JobFor(row.Schedule, tick);
                    await EnqueueCommand.WithinAsync(context, connection, transaction, new JobEnqueue([job]), available, cancellationToken).ConfigureAwait(false);
                    await using var command = context.Db.Command(connection, transaction, "UPDATE {s}.cron SET last_tick = $2 WHERE name = $1")
                        .With(row.Name).With(tick.UtcTicks);
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
            if (fire)
            {
                fired++;
                await context.Waiters.Wake(available).ConfigureAwait(false);
            }
        }

        return fired;
    }

    private static DateTimeOffset? TickOf(StoreContext context, CronRow row)
    {
        var schedule = row.Schedule;
        var plan = Plans.GetOrAdd((schedule.Expression, schedule.TimeZone), key => CronPlan.TryParse(key.Expression, key.Zone, out _));
        if (plan is null)
        {
            return null;
        }

        var after = JobRows.Time(Math.Max(row.Since, row.LastTick ?? 0));
        return CronDue.TickToFire(plan, schedule.Missed, after, context.OpenedAt, context.Settings.Time.GetUtcNow());
    }

    private static async Task<List<CronRow>> ReadAllAsync(StoreContext context, CancellationToken cancellationToken) =>
        await context.Db.ReadAsync(
            async connection =>
            {
                await using var command = context.Db.Command(connection, null, $"SELECT {Columns} FROM {{s}}.cron ORDER BY name");
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var rows = new List<CronRow>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(CronRow.Read(reader));
                }

                return rows;
            },
            cancellationToken).ConfigureAwait(false);

    private static async Task<CronRow?> ReadOneAsync(
        Database db, NpgsqlConnection connection, NpgsqlTransaction? transaction, string name, bool forUpdate, CancellationToken cancellationToken,
        bool skipLocked = false)
    {
        var lockClause = forUpdate ? (skipLocked ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE") : "";
        await using var command = db.Command(connection, transaction, $"SELECT {Columns} FROM {{s}}.cron WHERE name = $1{lockClause}").With(name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? CronRow.Read(reader) : null;
    }
}
