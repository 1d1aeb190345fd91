using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Npgsql;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// Promotes due jobs, then leases up to Max available jobs of unpaused queues in one round trip: the candidates are
/// picked per queue by the fetch index with <c>FOR NO KEY UPDATE SKIP LOCKED</c> (two nodes never pick the same row)
/// inside a materialized CTE (so the planner cannot update more rows than the limit), then updated to active with a new
/// token from the lease sequence. The update also names the picked ids as an array: joined to the CTE alone, the planner
/// estimates a hash join over a scan of the whole hot table cheaper than a thousand key lookups, and every fetch then
/// reads every unfinished job.
/// </summary>
internal static class FetchCommand
{
    /// <summary>Makes due scheduled and retrying jobs available, earliest first, and notifies their queues; returns how many.</summary>
    public const string PromoteSql = """
        WITH due AS MATERIALIZED (
            SELECT id, run_at, seq FROM {s}.jobs WHERE state IN (1, 4) AND run_at <= $1
            ORDER BY run_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED),
        numbered AS (SELECT id, nextval('{s}.ready_seq') AS rs FROM (SELECT id FROM due ORDER BY run_at, seq) o),
        promoted AS (
            UPDATE {s}.jobs j SET state = 2, run_at = NULL, available_at = $1, ready_seq = n.rs
            FROM numbered n WHERE j.id = n.id RETURNING j.queue),
        notified AS (SELECT pg_notify($3, q.queue) FROM (SELECT DISTINCT queue FROM promoted) q)
        SELECT (SELECT count(*) FROM promoted), (SELECT count(*) FROM notified), (SELECT array_agg(DISTINCT queue) FROM promoted)
        """;

    private const string LeaseSql = """
        WITH picked AS MATERIALIZED (
            SELECT c.pick_id, q.ord AS pick_ord
            FROM unnest($1::text[]) WITH ORDINALITY AS q(name, ord)
            JOIN {s}.queues qu ON qu.name = q.name AND NOT qu.paused
            CROSS JOIN LATERAL (
                SELECT j.id AS pick_id, j.priority AS pick_priority, j.ready_seq AS pick_ready FROM {s}.jobs j
                WHERE j.state = 2 AND j.queue = q.name
                ORDER BY j.priority DESC, j.ready_seq LIMIT $2 FOR NO KEY UPDATE SKIP LOCKED) c
            ORDER BY q.ord, c.pick_priority DESC, c.pick_ready LIMIT $2)
        UPDATE {s}.jobs SET state = 3, attempt = attempt + 1, run_at = NULL, lease_token = nextval('{s}.lease_seq'),
            lease_worker = $3,
            lease_expires_at = $4 + LEAST(lease_seconds, timeout_seconds + $5) * 10000000::bigint,
            attempt_deadline = $4 + (timeout_seconds + $5) * 10000000::bigint,
            unique_holder = CASE WHEN unique_mode = 1 THEN NULL ELSE unique_holder END,
            progress_percent = NULL, progress_message = NULL, progress_at = NULL
        FROM picked WHERE id = picked.pick_id AND id = ANY (ARRAY(SELECT pick_id FROM picked))
        RETURNING {columns}, pick_ord
        """;

    public static async Task<IReadOnlyList<JobInfo>> LeaseAsync(StoreContext context, JobFetch request, CancellationToken cancellationToken)
    {
        if (request.Max < 1 || request.Queues.Count == 0)
        {
            return [];
        }

        var db = context.Db;
        var now = context.Now;
        var leased = await db.ReadAsync(
            async connection =>
            {
                // One batch is one implicit transaction: the promotion and the leases commit together.
                await using var batch = new NpgsqlBatch(connection);
                batch.BatchCommands.Add(db.BatchCommand(PromoteSql).With(now).With((long)context.Settings.PromoteBatch).With(db.Channel));
                batch.BatchCommands.Add(db.BatchCommand(LeaseSql.Replace("{columns}", JobRows.HotColumns, StringComparison.Ordinal))
                    .With(request.Queues.ToArray()).With(request.Max).WithNullable(request.WorkerId, NpgsqlTypes.NpgsqlDbType.Text).With(now)
                    .With(JobDefaults.TimeoutGraceSeconds));
                await using var reader = await batch.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
                await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false);
                var rows = new List<(long Ord, long Ready, JobInfo Job)>();
                while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    rows.Add((reader.GetInt64(JobRows.Count), reader.GetInt64(JobRows.ReadySeq), JobRows.Read(reader)));
                }

                return rows;
            },
            cancellationToken).ConfigureAwait(false);
        return [.. leased.OrderBy(r => r.Ord).ThenByDescending(r => r.Job.Priority).ThenBy(r => r.Ready).Select(r => r.Job)];
    }
}
