using System.Globalization;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Conveyor.Storage.Postgres;

/// <summary>The reads the API needs: one job, pages of jobs (newest first, across both tables), queues, stats.</summary>
internal static class ReadCommands
{
    private const string Filters = """
        seq < $1 AND ($2::smallint IS NULL OR state = $2) AND ($3::text IS NULL OR queue = $3) AND ($4::text IS NULL OR type = $4)
        AND ($5::text IS NULL OR $5 = ANY(tags)) AND ($6::text IS NULL OR starts_with(id, $6))
        AND ($7::bigint IS NULL OR created_at >= $7) AND ($8::bigint IS NULL OR created_at < $8)
        """;

    /// <summary>
    /// Counts of unfinished jobs stop here (docs/postgres.md, "Counts without scanning"): each count per queue and
    /// state, and each count per state in the stats, reads at most this many index entries; a count equal to it means
    /// at least that many (<see cref="QueueInfo.CountCap"/>, <see cref="StoreStats.CountCap"/>).
    /// </summary>
    public const int CountCap = 10_000;

    // Each count is a LIMIT-ed subquery on an index ((queue, state) here, the partial indexes in the stats), so a
    // backlog of any size costs at most CountCap entries a count. The oldest available job is the oldest of each
    // priority's head in jobs_fetch: one index probe per priority instead of a scan of the queue's jobs.
    private static readonly string QueuesSql = $$"""
        SELECT q.name, q.paused,
            (SELECT count(*) FROM (SELECT 1 FROM {s}.jobs j WHERE j.queue = q.name AND j.state = 2 LIMIT {{CountCap}}) x),
            (SELECT count(*) FROM (SELECT 1 FROM {s}.jobs j WHERE j.queue = q.name AND j.state = 1 LIMIT {{CountCap}}) x),
            (SELECT count(*) FROM (SELECT 1 FROM {s}.jobs j WHERE j.queue = q.name AND j.state = 4 LIMIT {{CountCap}}) x),
            (SELECT count(*) FROM (SELECT 1 FROM {s}.jobs j WHERE j.queue = q.name AND j.state = 3 LIMIT {{CountCap}}) x),
            (SELECT min(h.available_at) FROM generate_series({{JobDefaults.MinPriority}}, {{JobDefaults.MaxPriority}}) p(priority)
                CROSS JOIN LATERAL (SELECT j.available_at FROM {s}.jobs j WHERE j.queue = q.name AND j.state = 2 AND j.priority = p.priority
                    ORDER BY j.priority DESC, j.ready_seq LIMIT 1) h)
        FROM {s}.queues q
        WHERE $1::text IS NULL OR q.name > $1
        ORDER BY q.name LIMIT $2
        """;

    private static readonly string HotCountsSql = string.Join(" UNION ALL ",
        new[] { JobState.Scheduled, JobState.Available, JobState.Active, JobState.Retrying }.Select(state =>
            $"SELECT {(short)state}::smallint, count(*) FROM (SELECT 1 FROM {{s}}.jobs WHERE state = {(short)state} LIMIT {CountCap}) x{(short)state}"));

    public static Task<JobInfo?> GetAsync(StoreContext context, string id, CancellationToken cancellationToken) =>
        context.Db.ReadAsync(
            async connection =>
            {
                await using var command = context.Db.Command(connection, null,
                    $"SELECT {JobRows.HotColumns} FROM {{s}}.jobs WHERE id = $1 UNION ALL SELECT {JobRows.DoneColumns} FROM {{s}}.jobs_done WHERE id = $1").With(id);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? JobRows.Read(reader) : null;
            },
            cancellationToken);

    public static async Task<JobPage> ListAsync(StoreContext context, JobList request, CancellationToken cancellationToken)
    {
        var before = long.MaxValue;
        if (request.Cursor is not null && !long.TryParse(request.Cursor, NumberStyles.None, CultureInfo.InvariantCulture, out before))
        {
            return new JobPage([], null);
        }

        var limit = Math.Clamp(request.Limit, 1, JobList.MaxLimit);
        var parts = new List<string>(2);
        if (request.State is not { } only || !only.IsTerminal())
        {
            parts.Add($"(SELECT {JobRows.HotColumns} FROM {{s}}.jobs WHERE {Filters} ORDER BY seq DESC LIMIT $9)");
        }

        if (request.State is not { } finished || finished.IsTerminal())
        {
            parts.Add($"(SELECT {JobRows.DoneColumns} FROM {{s}}.jobs_done WHERE {Filters} ORDER BY seq DESC LIMIT $9)");
        }

        var sql = $"SELECT * FROM ({string.Join(" UNION ALL ", parts)}) x ORDER BY seq DESC LIMIT $9";
        var rows = await context.Db.ReadAsync(
            async connection =>
            {
                await using var command = context.Db.Command(connection, null, sql)
                    .With(before)
                    .WithNullable(request.State is { } s ? (short)s : null, NpgsqlDbType.Smallint)
                    .WithNullable(request.Queue, NpgsqlDbType.Text)
                    .WithNullable(request.Type, NpgsqlDbType.Text)
                    .WithNullable(request.Tag, NpgsqlDbType.Text)
                    .WithNullable(request.IdPrefix, NpgsqlDbType.Text)
                    .WithNullable(request.CreatedFrom?.UtcTicks, NpgsqlDbType.Bigint)
                    .WithNullable(request.CreatedTo?.UtcTicks, NpgsqlDbType.Bigint)
                    .With((long)limit + 1);
                var page = new List<(long Seq, JobInfo Job)>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    page.Add((reader.GetInt64(JobRows.Seq), JobRows.Read(reader)));
                }

                return page;
            },
            cancellationToken).ConfigureAwait(false);
        if (rows.Count <= limit)
        {
            return new JobPage([.. rows.Select(r => r.Job)], null);
        }

        rows.RemoveAt(rows.Count - 1);
        return new JobPage([.. rows.Select(r => r.Job)], rows[^1].Seq.ToString(CultureInfo.InvariantCulture));
    }

    public static async Task<QueuePage> ListQueuesAsync(StoreContext context, string? after, int limit, CancellationToken cancellationToken)
    {
        var queues = await context.Db.ReadAsync(
            async connection =>
            {
                await using var command = context.Db.Command(connection, null, QueuesSql)
                    .WithNullable(after, NpgsqlDbType.Text).With((long)limit + 1);
                var list = new List<QueueInfo>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    list.Add(new QueueInfo(
                        reader.GetString(0), (int)reader.GetInt64(2), (int)reader.GetInt64(3), (int)reader.GetInt64(4), (int)reader.GetInt64(5), reader.GetBoolean(1))
                    {
                        CountCap = CountCap,
                        OldestAvailableAt = reader.IsDBNull(6) ? null : JobRows.Time(reader.GetInt64(6)),
                    });
                }

                return list;
            },
            cancellationToken).ConfigureAwait(false);
        if (queues.Count <= limit)
        {
            return new QueuePage(queues, null);
        }

        queues.RemoveAt(queues.Count - 1);
        return new QueuePage(queues, queues[^1].Name);
    }

    public static Task<StoreStats> StatsAsync(StoreContext context, CancellationToken cancellationToken) =>
        context.Db.ReadAsync(
            async connection =>
            {
                var counts = JobStateNames.All.ToDictionary(s => s, _ => 0L);
                await using var batch = new NpgsqlBatch(connection);
                batch.BatchCommands.Add(context.Db.BatchCommand(
                    HotCountsSql + " UNION ALL SELECT state, sum(n)::bigint FROM {s}.done_counts GROUP BY state"));
                batch.BatchCommands.Add(context.Db.BatchCommand("SELECT COALESCE(sum(processed), 0)::bigint, COALESCE(sum(failed), 0)::bigint FROM {s}.totals"));
                await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    counts[(JobState)reader.GetInt16(0)] += reader.GetInt64(1);
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return new StoreStats(counts, reader.GetInt64(0), reader.GetInt64(1)) { CountCap = CountCap };
            },
            cancellationToken);
}
