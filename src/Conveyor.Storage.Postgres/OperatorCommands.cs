using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Npgsql;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// Operator commands (cancel, retry, kill, discard, requeue), each one transaction checked against the transition
/// table. A job coming back to life from <c>jobs_done</c> (retry or requeue of a dead job) moves back to the hot table,
/// its queue made anew if it was removed.
/// </summary>
internal static class OperatorCommands
{
    /// <summary>Makes hot jobs available now, in the order named: $1 ids, $2 now, $3 states allowed.</summary>
    private const string MakeAvailableSql = """
        UPDATE {s}.jobs j SET state = 2, run_at = NULL, available_at = $2, ready_seq = n.rs
        FROM (SELECT id, nextval('{s}.ready_seq') AS rs FROM (
            SELECT id FROM {s}.jobs WHERE id = ANY($1) AND state = ANY($3) ORDER BY array_position($1, id) FOR UPDATE) o) n
        WHERE j.id = n.id RETURNING j.queue
        """;

    /// <summary>
    /// Moves finished jobs back to the hot table as available: $1 ids, $2 now, $3 states allowed. A job whose mode holds
    /// its unique key while available takes it again when nobody holds it now (the first named, of several with one key).
    /// </summary>
    private const string ReviveSql = """
        WITH moved AS (DELETE FROM {s}.jobs_done WHERE id = ANY($1) AND state = ANY($3) RETURNING *),
        ranked AS (SELECT m.*, row_number() OVER (PARTITION BY m.unique_key ORDER BY array_position($1, m.id)) AS key_rank FROM moved m)
        INSERT INTO {s}.jobs (
            id, seq, queue, type, priority, attempt, max_attempts, keep_dead, lease_seconds, created_at, unique_key, unique_until,
            backoff_kind, backoff_seconds, tags, meta, args, failures, state, available_at,
            unique_mode, unique_holder, timeout_seconds, progress_percent, progress_message, progress_at)
        SELECT id, seq, queue, type, priority, attempt, max_attempts, keep_dead, lease_seconds, created_at, unique_key, unique_until,
            backoff_kind, backoff_seconds, tags, meta, args, failures, 2, $2, unique_mode,
            CASE WHEN unique_holder IS NOT NULL THEN unique_holder
                WHEN unique_key IS NOT NULL AND key_rank = 1 AND unique_until > $2 AND (unique_mode <> 1 OR attempt = 0)
                    AND NOT EXISTS (SELECT 1 FROM {s}.jobs h WHERE h.unique_holder = r.unique_key)
                    AND NOT EXISTS (SELECT 1 FROM {s}.done_holders h WHERE h.unique_holder = r.unique_key) THEN unique_key END,
            timeout_seconds, progress_percent, progress_message, progress_at
        FROM ranked r ORDER BY array_position($1, id) RETURNING queue
        """;

    private const string ReviveQueuesSql =
        "INSERT INTO {s}.queues (name) SELECT DISTINCT queue FROM {s}.jobs_done WHERE id = ANY($1) AND state = ANY($2) ORDER BY 1 ON CONFLICT DO NOTHING";

    public static async Task<CommandResult> CancelAsync(StoreContext context, string id, CancellationToken cancellationToken) =>
        await context.Db.WriteAsync(
            async (connection, transaction) =>
            {
                var state = await StateOfAsync(context.Db, connection, transaction, id, cancellationToken).ConfigureAwait(false);
                if (state is null)
                {
                    return new CommandResult(CommandStatus.NotFound, null);
                }

                if (!JobTransitions.IsLegal(state.Value, JobOperation.Cancel))
                {
                    return new CommandResult(CommandStatus.Conflict, state);
                }

                await using var command = context.Db.Command(connection, transaction, SettleWrites.MoveSql)
                    .With(new[] { id }).With(new[] { (short)JobState.Cancelled }).With(new[] { Array.Empty<byte>() }).With(context.Now);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return new CommandResult(CommandStatus.Ok, JobState.Cancelled);
            },
            cancellationToken).ConfigureAwait(false);

    public static async Task<CommandResult> RetryAsync(StoreContext context, string id, CancellationToken cancellationToken)
    {
        var queues = new List<string>();
        var result = await context.Db.WriteAsync(
            async (connection, transaction) =>
            {
                queues.Clear();
                var state = await StateOfAsync(context.Db, connection, transaction, id, cancellationToken).ConfigureAwait(false);
                if (state is null)
                {
                    return new CommandResult(CommandStatus.NotFound, null);
                }

                if (!JobTransitions.IsLegal(state.Value, JobOperation.Retry))
                {
                    return new CommandResult(CommandStatus.Conflict, state);
                }

                queues.AddRange(await MakeAvailableAsync(context, connection, transaction, [id], JobOperation.Retry, cancellationToken).ConfigureAwait(false));
                return new CommandResult(CommandStatus.Ok, JobState.Available);
            },
            cancellationToken).ConfigureAwait(false);
        await context.Waiters.Wake(queues).ConfigureAwait(false);
        return result;
    }

    public static async Task<int> RequeueAsync(StoreContext context, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var queues = await context.Db.WriteAsync(
            (connection, transaction) => MakeAvailableAsync(context, connection, transaction, Distinct(ids), JobOperation.Requeue, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        await context.Waiters.Wake(queues).ConfigureAwait(false);
        return queues.Count;
    }

    public static Task<int> KillAsync(StoreContext context, IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        context.Db.WriteAsync(
            async (connection, transaction) =>
            {
                var db = context.Db;
                var legal = new List<string>();
                await using (var select = db.Command(connection, transaction, "SELECT id FROM {s}.jobs WHERE id = ANY($1) AND state IN (1, 4) ORDER BY array_position($1, id) FOR UPDATE")
                    .With(Distinct(ids)))
                await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        legal.Add(reader.GetString(0));
                    }
                }

                if (legal.Count == 0)
                {
                    return 0;
                }

                await using var move = db.Command(connection, transaction, SettleWrites.MoveSql)
                    .With(legal.ToArray()).With(legal.Select(_ => (short)JobState.Dead).ToArray()).With(legal.Select(_ => Array.Empty<byte>()).ToArray()).With(context.Now);
                return await move.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    public static Task<int> DiscardAsync(StoreContext context, IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        context.Db.WriteAsync(
            async (connection, transaction) =>
            {
                await using var batch = new NpgsqlBatch(connection, transaction);
                var distinct = Distinct(ids);
                batch.BatchCommands.Add(context.Db.BatchCommand("DELETE FROM {s}.jobs WHERE id = ANY($1) AND state <> 3").With(distinct));
                batch.BatchCommands.Add(context.Db.BatchCommand("DELETE FROM {s}.jobs_done WHERE id = ANY($1)").With(distinct));
                return await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    /// <summary>Makes the jobs among <paramref name="ids"/> that <paramref name="operation"/> applies to available now; returns their queues, one per job.</summary>
    private static async Task<List<string>> MakeAvailableAsync(
        StoreContext context, NpgsqlConnection connection, NpgsqlTransaction transaction, string[] ids, JobOperation operation, CancellationToken cancellationToken)
    {
        var db = context.Db;
        var legal = JobTransitions.LegalStates(operation);
        var hot = legal.Where(s => !s.IsTerminal()).Select(s => (short)s).ToArray();
        var done = legal.Where(s => s.IsTerminal()).Select(s => (short)s).ToArray();
        var queues = new List<string>();
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(db.BatchCommand(MakeAvailableSql).With(ids).With(context.Now).With(hot));
        batch.BatchCommands.Add(db.BatchCommand(ReviveQueuesSql).With(ids).With(done));
        batch.BatchCommands.Add(db.BatchCommand(ReviveSql).With(ids).With(context.Now).With(done));
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            do
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    queues.Add(reader.GetString(0));
                }
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        }

        await NotifyAsync(db, connection, transaction, queues, cancellationToken).ConfigureAwait(false);
        return queues;
    }

    /// <summary>Notifies each of <paramref name="queues"/> once, on commit (other nodes' waiting fetches look again).</summary>
    public static async Task NotifyAsync(
        Database db, NpgsqlConnection connection, NpgsqlTransaction? transaction, IEnumerable<string> queues, CancellationToken cancellationToken)
    {
        var distinct = queues.Distinct(StringComparer.Ordinal).ToArray();
        if (distinct.Length == 0)
        {
            return;
        }

        await using var command = db.Command(connection, transaction, "SELECT pg_notify($1, q) FROM unnest($2::text[]) q").With(db.Channel).With(distinct);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The state of a job, its row locked when unfinished; null when unknown.</summary>
    private static async Task<JobState?> StateOfAsync(
        Database db, NpgsqlConnection connection, NpgsqlTransaction transaction, string id, CancellationToken cancellationToken)
    {
        await using var command = db.Command(connection, transaction, """
            SELECT state FROM {s}.jobs WHERE id = $1 FOR UPDATE
            """).With(id);
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is short hot)
        {
            return (JobState)hot;
        }

        await using var done = db.Command(connection, transaction, "SELECT state FROM {s}.jobs_done WHERE id = $1 FOR UPDATE").With(id);
        return await done.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is short finished ? (JobState)finished : null;
    }

    private static string[] Distinct(IReadOnlyList<string> ids) => [.. ids.Distinct(StringComparer.Ordinal)];
}
