using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Npgsql;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// The outcome of a batch of settles (or lease expiries), written in one round trip: finished jobs move from the hot
/// table to <c>jobs_done</c> in one statement, retrying ones are updated in one, discarded ones deleted in one, and the
/// totals added to one slot. Every row was read under its lock in the same transaction, so the lease check holds.
/// </summary>
internal sealed class SettleWrites
{
    /// <summary>
    /// Moves rows to jobs_done: $1 ids, $2 states, $3 failures (empty keeps the row's), $4 finished_at. A dead job in
    /// until-completed mode keeps holding its unique key there; a watched job's waiters are notified (on commit).
    /// </summary>
    /// <summary>The columns a move to jobs_done copies unchanged from the hot row (every move writes them the same way).</summary>
    public const string CopiedColumns =
        "id, seq, queue, type, priority, attempt, max_attempts, keep_dead, lease_seconds, created_at, unique_key, unique_until, " +
        "backoff_kind, backoff_seconds, tags, meta, args";

    public const string MoveSql = $$"""
        WITH moved AS (
            DELETE FROM {s}.jobs j USING unnest($1::text[], $2::smallint[], $3::bytea[]) WITH ORDINALITY AS u(id, st, f, ord)
            WHERE j.id = u.id RETURNING j.*, u.st AS new_state, u.f AS new_failures, u.ord AS new_ord),
        woken AS (SELECT pg_notify({c}, ' ' || id) FROM moved WHERE watched)
        INSERT INTO {s}.jobs_done (
            {{CopiedColumns}}, state, finished_at, failures,
            unique_mode, unique_holder, timeout_seconds, progress_percent, progress_message, progress_at)
        SELECT {{CopiedColumns}}, new_state, $4, COALESCE(NULLIF(new_failures, ''::bytea), failures),
            unique_mode, CASE WHEN new_state = 6 AND unique_mode = 2 THEN unique_holder END, timeout_seconds,
            progress_percent, progress_message, progress_at
        FROM moved WHERE (SELECT count(*) FROM woken) >= 0 ORDER BY new_ord
        """;

    private readonly List<string> moveIds = [];
    private readonly List<short> moveStates = [];
    private readonly List<byte[]> moveFailures = [];
    private readonly List<string> retryIds = [];
    private readonly List<long> retryAt = [];
    private readonly List<byte[]> retryFailures = [];
    private readonly List<string> deleteIds = [];
    private readonly List<string> resultIds = [];
    private readonly List<byte[]> results = [];
    private long processed;
    private long failed;

    /// <summary>A completed job, with the result its ack carried (null: none).</summary>
    public void Complete(string id, byte[]? result = null)
    {
        if (result is not null)
        {
            resultIds.Add(id);
            results.Add(result);
        }

        moveIds.Add(id);
        moveStates.Add((short)JobState.Completed);
        moveFailures.Add([]);
        processed++;
    }

    /// <summary>A failed attempt: retrying with back-off, dead, or gone when dead jobs are not kept.</summary>
    public void Fail(
        StoreContext context, LeasedRow row, string errorType, string message, IReadOnlyList<string> backtrace, TimeSpan? retryIn, bool retry)
    {
        var now = JobRows.Time(context.Now);
        FailureDecision decision;
        var random = context.Settings.Random;
        lock (random)
        {
            decision = FailureDecision.For(row.Attempt, row.MaxAttempts, row.Backoff, now, retryIn, random, retry);
        }

        var failures = RowCodec.ReadFailures(row.Failures);
        failures.Add(new JobFailure(row.Attempt, now, errorType, message, [.. backtrace]));
        if (failures.Count > JobFailure.HistoryLimit)
        {
            failures.RemoveRange(0, failures.Count - JobFailure.HistoryLimit);
        }

        var bytes = RowCodec.WriteFailures(failures)!;
        failed++;
        if (decision.Next == JobState.Retrying)
        {
            retryIds.Add(row.Id);
            retryAt.Add(decision.RunAt!.Value.UtcTicks);
            retryFailures.Add(bytes);
        }
        else if (row.KeepDead)
        {
            moveIds.Add(row.Id);
            moveStates.Add((short)JobState.Dead);
            moveFailures.Add(bytes);
        }
        else
        {
            deleteIds.Add(row.Id);
        }
    }

    public async Task ApplyAsync(Database db, NpgsqlConnection connection, NpgsqlTransaction transaction, long now, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (moveIds.Count > 0)
        {
            batch.BatchCommands.Add(db.BatchCommand(MoveSql).With(moveIds.ToArray()).With(moveStates.ToArray()).With(moveFailures.ToArray()).With(now));
        }

        if (resultIds.Count > 0)
        {
            batch.BatchCommands.Add(db.BatchCommand("UPDATE {s}.jobs_done d SET result = u.r FROM unnest($1::text[], $2::bytea[]) AS u(id, r) WHERE d.id = u.id")
                .With(resultIds.ToArray()).With(results.ToArray()));
        }

        if (retryIds.Count > 0)
        {
            batch.BatchCommands.Add(db.BatchCommand("""
                UPDATE {s}.jobs j SET state = 4, run_at = u.run_at, failures = u.f, lease_token = NULL, lease_worker = NULL, lease_expires_at = NULL,
                    attempt_deadline = NULL
                FROM unnest($1::text[], $2::bigint[], $3::bytea[]) AS u(id, run_at, f) WHERE j.id = u.id
                """).With(retryIds.ToArray()).With(retryAt.ToArray()).With(retryFailures.ToArray()));
        }

        if (deleteIds.Count > 0)
        {
            batch.BatchCommands.Add(db.BatchCommand("""
                WITH gone AS (DELETE FROM {s}.jobs WHERE id = ANY($1) RETURNING id, watched)
                SELECT pg_notify({c}, ' ' || id) FROM gone WHERE watched
                """).With(deleteIds.ToArray()));
        }

        if (processed + failed > 0)
        {
            batch.BatchCommands.Add(db.BatchCommand("UPDATE {s}.totals SET processed = processed + $1, failed = failed + $2 WHERE slot = $3")
                .With(processed).With(failed).With(StoreContext.TotalsSlot()));
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
